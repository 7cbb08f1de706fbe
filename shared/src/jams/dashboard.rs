//! What an organizer's home and calendar show: each series they organize with its next
//! session, and the sessions of a window of time, in a bounded number of reads.

use std::collections::BTreeMap;

use jiff::Timestamp;

use super::{
    series::{self, Series, SeriesError},
    sessions::{self, Session},
};
use crate::{
    Context,
    authorization::{OrganizerRole, Principal},
    ids::SessionId,
    store::keys::{self, Key},
};

/// A series on the organizer's dashboard, with its next session that has not ended.
#[derive(Clone, Debug)]
pub struct Card {
    pub series: Series,
    pub role: OrganizerRole,
    pub next: Option<Session>,
}

/// The series the acting user organizes, newest first, with their role in each: read once
/// the principal was checked, which only [`organized`] does (the field is private), so the
/// sessions read through it are the acting user's to see.
#[derive(Clone, Debug)]
pub struct Organized {
    list: Vec<(Series, OrganizerRole)>,
}

/// The series the acting user organizes: one Query for the memberships and BatchGetItems for
/// the series.
#[tracing::instrument(skip_all)]
pub async fn organized(ctx: &Context, principal: &Principal) -> Result<Organized, SeriesError> {
    Ok(Organized {
        list: series::organized_by(ctx, principal).await?,
    })
}

/// Each series the acting user organizes with its next session ([`Organized::with_next`]).
pub async fn overview(ctx: &Context, principal: &Principal) -> Result<Vec<Card>, SeriesError> {
    organized(ctx, principal).await?.with_next(ctx).await
}

impl Organized {
    pub fn series(&self) -> &[(Series, OrganizerRole)] {
        &self.list
    }

    /// Each series with its next session that has not ended (cancelled ones included, so
    /// that the card says so), read in BatchGetItems whatever the number of series.
    #[tracing::instrument(skip_all)]
    pub async fn with_next(self, ctx: &Context) -> Result<Vec<Card>, SeriesError> {
        let now = ctx.clock.now();
        let wanted: Vec<Vec<SessionId>> = self
            .list
            .iter()
            .map(|(series, _)| next_slot(series, now).into_iter().collect())
            .collect();
        let mut found = sessions_by_id(ctx, &wanted).await?;
        let mut cards = Vec::with_capacity(self.list.len());
        for ((series, role), ids) in self.list.into_iter().zip(wanted) {
            let next = match &series.slots {
                Some(_) => ids.first().and_then(|id| found.remove(id)),
                // Saved before series kept their slots: ask the index, as before.
                None => sessions::next_of_series(ctx, &series.id, now).await?,
            };
            cards.push(Card { series, role, next });
        }
        Ok(cards)
    }

    /// The sessions of each series (in the order of [`Organized::series`]) starting between
    /// `from` and `to`, by start time, read in BatchGetItems whatever the number of series.
    #[tracing::instrument(skip_all)]
    pub async fn sessions_between(
        &self,
        ctx: &Context,
        from: Timestamp,
        to: Timestamp,
    ) -> Result<Vec<Vec<Session>>, SeriesError> {
        let wanted: Vec<Vec<SessionId>> = self
            .list
            .iter()
            .map(|(series, _)| slots_between(series, from, to))
            .collect();
        let mut found = sessions_by_id(ctx, &wanted).await?;
        let mut shown = Vec::with_capacity(self.list.len());
        for ((series, _), ids) in self.list.iter().zip(wanted) {
            let mut in_window: Vec<Session> = match &series.slots {
                Some(_) => ids.iter().filter_map(|id| found.remove(id)).collect(),
                None => sessions::between(ctx, &series.id, from, to).await?,
            };
            in_window.sort_by_key(|session| session.starts_at);
            shown.push(in_window);
        }
        Ok(shown)
    }
}

/// The session of `series` that starts first among those not ended at `now`, by its slots.
fn next_slot(series: &Series, now: Timestamp) -> Option<SessionId> {
    series
        .slots
        .as_ref()?
        .iter()
        .filter(|(_, slot)| slot.ends_at > now)
        .min_by_key(|(id, slot)| (slot.starts_at, id.as_str()))
        .and_then(|(id, _)| id.parse().ok())
}

/// The sessions of `series` starting between `from` and `to` (inclusive), by its slots.
fn slots_between(series: &Series, from: Timestamp, to: Timestamp) -> Vec<SessionId> {
    series
        .slots
        .iter()
        .flatten()
        .filter(|(_, slot)| (from..=to).contains(&slot.starts_at))
        .filter_map(|(id, _)| id.parse().ok())
        .collect()
}

/// The sessions with these ids that exist, read in BatchGetItems of up to 100.
async fn sessions_by_id(
    ctx: &Context,
    wanted: &[Vec<SessionId>],
) -> Result<BTreeMap<SessionId, Session>, SeriesError> {
    let keys: Vec<Key> = wanted.iter().flatten().map(keys::session).collect();
    let sessions: Vec<Option<Session>> = super::get_many(ctx, &keys).await?;
    Ok(sessions
        .into_iter()
        .flatten()
        .map(|session| (session.id.clone(), session))
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{
        ids::{SeriesId, UserId},
        jams::series::{SeriesDetails, Slot},
        values::Fields,
    };

    fn at(text: &str) -> Timestamp {
        text.parse().unwrap()
    }

    fn series_with(slots: &[(&str, &str, &str)]) -> Series {
        let fields: BTreeMap<String, String> = [
            ("name", "Jam"),
            ("venue", "Hall"),
            ("cost_kind", "free"),
            ("capacity_base", "1"),
            ("capacity_flyer", "1"),
            ("start_time", "19:00"),
            ("duration_minutes", "120"),
            ("time_zone", "UTC"),
            ("visibility", "public"),
        ]
        .into_iter()
        .map(|(name, value)| (name.to_owned(), value.to_owned()))
        .collect();
        let mut series = SeriesDetails::parse(&Fields(&fields)).unwrap().into_series(
            SeriesId::generate(),
            UserId::generate(),
            Timestamp::UNIX_EPOCH,
        );
        series.slots = Some(
            slots
                .iter()
                .map(|(id, starts, ends)| {
                    let slot = Slot {
                        starts_at: at(starts),
                        ends_at: at(ends),
                    };
                    ((*id).to_owned(), slot)
                })
                .collect(),
        );
        series
    }

    #[test]
    fn the_next_slot_is_the_earliest_that_has_not_ended() {
        let ids: Vec<SessionId> = (0..3).map(|_| SessionId::generate()).collect();
        let series = series_with(&[
            (
                ids[0].as_str(),
                "2027-03-02T19:00:00Z",
                "2027-03-02T21:00:00Z",
            ),
            (
                ids[1].as_str(),
                "2027-03-16T19:00:00Z",
                "2027-03-16T21:00:00Z",
            ),
            (
                ids[2].as_str(),
                "2027-03-09T19:00:00Z",
                "2027-03-09T21:00:00Z",
            ),
        ]);
        assert_eq!(
            next_slot(&series, at("2027-03-01T00:00:00Z")),
            Some(ids[0].clone())
        );
        // Under way: still the next one until it ends.
        assert_eq!(
            next_slot(&series, at("2027-03-02T20:00:00Z")),
            Some(ids[0].clone())
        );
        assert_eq!(
            next_slot(&series, at("2027-03-02T21:00:00Z")),
            Some(ids[2].clone())
        );
        assert_eq!(next_slot(&series, at("2027-04-01T00:00:00Z")), None);
        assert_eq!(
            slots_between(
                &series,
                at("2027-03-09T19:00:00Z"),
                at("2027-03-16T19:00:00Z")
            )
            .len(),
            2
        );
    }
}
