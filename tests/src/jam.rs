//! A jam to book: an organizer, a series and one session a week ahead, made through the domain
//! (the journeys through the pages have tests of their own).

use std::collections::BTreeMap;

use jamie::{
    Context, accounts,
    authorization::{Actor, Principal},
    ids::{SeriesId, SessionId},
    jams::{
        series::{self, SeriesDetails},
        sessions::{self, Schedule},
    },
    values::{DisplayName, Email, Fields},
};

fn fields(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
    pairs
        .iter()
        .map(|(name, value)| ((*name).to_owned(), (*value).to_owned()))
        .collect()
}

/// The organizer, series and session of a scheduled jam.
#[derive(Clone, Debug)]
pub struct Jam {
    pub organizer: Principal,
    pub series: SeriesId,
    pub session: SessionId,
}

/// A public series of `organizer_email` with places for `base` bases and `flyer` flyers and
/// one session seven days after the context's clock, at 19:00 in Berlin.
pub async fn scheduled(ctx: &Context, organizer_email: &str, base: u16, flyer: u16) -> Jam {
    scheduled_with(ctx, organizer_email, base, flyer, &[]).await
}

/// [`scheduled`], with more fields of the series form (e.g. `("confirm_by_email", "yes")`).
pub async fn scheduled_with(
    ctx: &Context,
    organizer_email: &str,
    base: u16,
    flyer: u16,
    more: &[(&str, &str)],
) -> Jam {
    let user = accounts::find_or_create(
        ctx,
        &Email::parse(organizer_email).unwrap(),
        &DisplayName::parse("Org").unwrap(),
    )
    .await
    .unwrap();
    let organizer = Principal::User(Box::new(Actor {
        user: user.into(),
        sign_in: "test".parse().unwrap(),
    }));
    let (base, flyer) = (base.to_string(), flyer.to_string());
    let details = SeriesDetails::parse(&Fields(&fields(
        &[
            ("name", "Race Jam"),
            ("venue", "Hall"),
            ("cost_kind", "free"),
            ("capacity_base", &base),
            ("capacity_flyer", &flyer),
            ("start_time", "19:00"),
            ("duration_minutes", "120"),
            ("time_zone", "Europe/Berlin"),
            ("visibility", "public"),
        ]
        .into_iter()
        .chain(more.iter().copied())
        .collect::<Vec<_>>(),
    )))
    .unwrap();
    let series = series::create(ctx, &organizer, details).await.unwrap();
    let date = ctx
        .clock
        .now()
        .to_zoned_datetime(series.zone())
        .date()
        .checked_add(jiff::Span::new().days(7))
        .unwrap()
        .to_string();
    let schedule = Schedule::parse(
        &Fields(&fields(&[
            ("date", &date),
            ("start_time", "19:00"),
            ("end_time", "21:00"),
            ("repeat", "once"),
            ("capacity_base", &base),
            ("capacity_flyer", &flyer),
        ])),
        &series,
        ctx.clock.now(),
    )
    .unwrap();
    let scheduled = sessions::schedule(ctx, &organizer, &series.id, schedule)
        .await
        .unwrap();
    Jam {
        organizer,
        series: series.id,
        session: scheduled.sessions[0].id.clone(),
    }
}
