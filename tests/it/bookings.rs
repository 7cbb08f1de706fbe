//! Bookings raced against the emulator: hundreds of concurrent registrations into per-role
//! capacities, concurrent cancels with promotion, duplicate addresses, one cancel link pressed
//! many times. Every invariant of ARCHITECTURE §4 is checked after each race.

use std::collections::HashSet;

use jamie::{
    Clock, Context,
    bookings::{self, Cancelled, Registration, RegistrationInput, RegistrationStatus},
    ids::{RegistrationId, SessionId},
    jams::sessions::{Session, SessionEdit},
    outbox::{Kind, Notification},
    store::keys,
    values::{Email, Role, RoleChoice},
};
use jamie_tests::{Options, TestApp, jam, public_client, spawn_app_with};

/// A fresh app with one scheduled session of `base` + `flyer` places, a week ahead.
async fn session_with(base: u16, flyer: u16) -> (TestApp, SessionId) {
    let (app, jam) = jam_with(base, flyer).await;
    (app, jam.session)
}

/// How long a racer here keeps trying. Hundreds of racers queue behind the emulator's one
/// lock for a minute, where DynamoDB takes a second; these tests prove the invariants however
/// long the races take, and `public::a_registration_that_cannot_win_in_time_…` proves the
/// production deadline ([`jamie::Config::RACE_DEADLINE`]).
const RACE_DEADLINE: std::time::Duration = std::time::Duration::from_secs(300);

/// [`session_with`], with its organizer and series.
pub(crate) async fn jam_with(base: u16, flyer: u16) -> (TestApp, jam::Jam) {
    let app = spawn_app_with(Options {
        clock: Clock::fixed("2027-03-10T12:00:00Z".parse().unwrap()),
        race: true,
        ..Options::default()
    })
    .await;
    let mut config = (*app.ctx.config).clone();
    config.race_deadline = RACE_DEADLINE;
    let app = app.with_config(config).await;
    let jam = jam::scheduled(&app.ctx, "org@example.org", base, flyer).await;
    (app, jam)
}

/// Concurrent registrations per race.
const RACERS: usize = 500;
/// Concurrent cancels of confirmed spots, with enough people waiting to fill every one.
const CANCELS: usize = 100;

pub(crate) fn input(n: usize, requested: RoleChoice) -> RegistrationInput {
    RegistrationInput {
        name: format!("Person {n}"),
        email: Email::parse(&format!("person{n}@example.org")).unwrap(),
        requested,
        note: String::new(),
    }
}

pub(crate) fn choice(n: usize) -> RoleChoice {
    [RoleChoice::Base, RoleChoice::Flyer, RoleChoice::Either][n % 3]
}

/// Registers `inputs` all at once; every registration must succeed.
async fn race_register(
    ctx: &Context,
    session: &SessionId,
    inputs: Vec<RegistrationInput>,
) -> Vec<bookings::Registered> {
    let mut racers = tokio::task::JoinSet::new();
    // Each from their own phone: the per-client limits are not what these races are about.
    for (n, input) in inputs.into_iter().enumerate() {
        let (ctx, session) = (ctx.clone(), session.clone());
        racers.spawn(
            async move { bookings::register(&ctx, &session, input, public_client(n)).await },
        );
    }
    racers
        .join_all()
        .await
        .into_iter()
        .map(|outcome| outcome.expect("every registration is taken, confirmed or waitlisted"))
        .collect()
}

/// The token of a cancel link.
fn token_of(registered: &bookings::Registered) -> String {
    registered.cancel_url.rsplit('/').next().unwrap().to_owned()
}

pub(crate) async fn state(ctx: &Context, session: &SessionId) -> (Session, Vec<Registration>) {
    let session = ctx
        .store
        .get::<Session>(&keys::session(session))
        .await
        .unwrap()
        .unwrap();
    let partition = keys::session(&session.id).pk;
    let mut query = jamie::store::Query::table(&partition);
    query.prefix = Some("REG#");
    let mut registrations = Vec::new();
    loop {
        let page = ctx
            .store
            .query::<Registration>(query.clone())
            .await
            .unwrap();
        registrations.extend(page.items);
        match page.next {
            Some(next) => query.start = Some(next),
            None => break,
        }
    }
    (session, registrations)
}

/// Every outbox item of the day (the fixed clock's): what the races wrote to be sent.
pub(crate) async fn outbox(ctx: &Context) -> Vec<Notification> {
    let partition = keys::outbox_day_index(&ctx.clock.now().strftime("%Y-%m-%d").to_string());
    let mut query = jamie::store::Query::index("GSI2", &partition);
    let mut found = Vec::new();
    loop {
        let page = ctx
            .store
            .query::<Notification>(query.clone())
            .await
            .unwrap();
        found.extend(page.items);
        match page.next {
            Some(next) => query.start = Some(next),
            None => break,
        }
    }
    found
}

/// Each registration wrote exactly one outbox item for its confirmation (in its own
/// transaction), whoever won or lost the races: none lost, none twice.
async fn check_one_confirmation_each(ctx: &Context, registrations: &[Registration]) {
    let outbox = outbox(ctx).await;
    let confirmations: Vec<&Notification> = outbox
        .iter()
        .filter(|n| matches!(n.about, Kind::Confirmed { .. } | Kind::Waitlisted { .. }))
        .collect();
    assert_eq!(
        confirmations.len(),
        registrations.len(),
        "one each, no more"
    );
    for registration in registrations {
        let to_them = confirmations
            .iter()
            .filter(|n| n.address() == registration.email.as_str())
            .count();
        assert_eq!(to_them, 1, "{} got {to_them}", registration.email.as_str());
    }
}

/// The invariants that hold after any race: counters equal what the registrations say, no
/// role over capacity, no free spot while someone who fits it waits, and the session's
/// waitlist holds every waitlisted registration exactly once.
pub(crate) fn check_invariants(session: &Session, registrations: &[Registration]) {
    let count = |status: RegistrationStatus, role: Option<Role>| {
        registrations
            .iter()
            .filter(|r| r.status == status && (role.is_none() || r.role == role))
            .count() as u32
    };
    let base = count(RegistrationStatus::Confirmed, Some(Role::Base));
    let flyer = count(RegistrationStatus::Confirmed, Some(Role::Flyer));
    assert_eq!(
        (session.confirmed_base, session.confirmed_flyer),
        (base, flyer)
    );
    assert!(base <= u32::from(session.capacity_base));
    assert!(flyer <= u32::from(session.capacity_flyer));
    let waiting: Vec<&Registration> = registrations
        .iter()
        .filter(|r| r.status == RegistrationStatus::Waitlisted)
        .collect();
    assert_eq!(session.waitlisted as usize, waiting.len());
    let of = |choice: RoleChoice| waiting.iter().filter(|r| r.requested == choice).count() as u32;
    assert_eq!(session.waitlisted_base, of(RoleChoice::Base));
    assert_eq!(session.waitlisted_flyer, of(RoleChoice::Flyer));
    assert_eq!(session.waitlisted_either, of(RoleChoice::Either));
    let fits_base = of(RoleChoice::Base) + of(RoleChoice::Either);
    let fits_flyer = of(RoleChoice::Flyer) + of(RoleChoice::Either);
    assert!(
        fits_base == 0 || base == u32::from(session.capacity_base),
        "a base spot is free while a base waits"
    );
    assert!(
        fits_flyer == 0 || flyer == u32::from(session.capacity_flyer),
        "a flyer spot is free while a flyer waits"
    );
    let listed: HashSet<&RegistrationId> = session.waiting.iter().map(|w| &w.id).collect();
    assert_eq!(listed.len(), session.waiting.len(), "nobody waits twice");
    let waiting_ids: HashSet<&RegistrationId> = waiting.iter().map(|r| &r.id).collect();
    assert_eq!(
        listed, waiting_ids,
        "the waitlist is the waitlisted registrations"
    );
    for waiter in &session.waiting {
        let registration = waiting.iter().find(|r| r.id == waiter.id).unwrap();
        assert_eq!(waiter.requested, registration.requested);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn racing_registrations_fill_ten_bases_and_ten_flyers_exactly() {
    for round in 0..2 {
        let (app, session) = session_with(10, 10).await;
        race_register(
            &app.ctx,
            &session,
            (0..RACERS).map(|n| input(n, choice(n))).collect(),
        )
        .await;
        let (stored, registrations) = state(&app.ctx, &session).await;
        assert_eq!(registrations.len(), RACERS, "round {round}");
        assert_eq!(
            (stored.confirmed_base, stored.confirmed_flyer),
            (10, 10),
            "round {round}"
        );
        assert_eq!(stored.waitlisted as usize, RACERS - 20, "round {round}");
        check_invariants(&stored, &registrations);
        check_one_confirmation_each(&app.ctx, &registrations).await;
        // The waitlist is in the order the transactions committed (each appended itself), so
        // the queue of each role runs 1, 2, 3, ... without a gap or a repeat: the k-th person
        // on the list who fits a role is k-th in that role's queue.
        assert_eq!(stored.waiting.len(), RACERS - 20, "round {round}");
        let positions = bookings::positions(&stored);
        assert_eq!(positions.len(), RACERS - 20);
        for role in [Role::Base, Role::Flyer] {
            let queue: Vec<&RegistrationId> = stored
                .waiting
                .iter()
                .filter(|w| w.requested.roles().contains(&role))
                .map(|w| &w.id)
                .collect();
            assert!(!queue.is_empty(), "round {round}");
            // Those asking for exactly this role have positions rising with their place.
            let only: Vec<u32> = stored
                .waiting
                .iter()
                .filter(|w| w.requested.roles() == [role])
                .map(|w| positions.iter().find(|(id, _)| *id == w.id).unwrap().1)
                .collect();
            assert!(
                only.windows(2).all(|pair| pair[0] < pair[1]),
                "positions rise along the queue (round {round})"
            );
            // Whoever fits only this role is placed right after everyone before them in it.
            for (place, id) in queue.iter().enumerate() {
                let waiter = stored.waiting.iter().find(|w| &w.id == *id).unwrap();
                if waiter.requested.roles() == [role] {
                    let position = positions.iter().find(|(p, _)| p == *id).unwrap().1;
                    assert_eq!(position as usize, place + 1, "round {round}");
                }
            }
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_hundred_racing_cancels_promote_a_hundred_people_none_twice() {
    for round in 0..2 {
        let (app, session) = session_with(60, 60).await;
        // 120 confirmed (60 + 60), then 150 waiting (50 bases, 50 flyers, 50 either: enough
        // to fill every freed spot whichever way the "either" people go); 100 of the
        // confirmed (50 + 50) cancel at once.
        let first = race_register(
            &app.ctx,
            &session,
            (0..120)
                .map(|n| {
                    input(
                        n,
                        if n % 2 == 0 {
                            RoleChoice::Base
                        } else {
                            RoleChoice::Flyer
                        },
                    )
                })
                .collect(),
        )
        .await;
        race_register(
            &app.ctx,
            &session,
            (120..270).map(|n| input(n, choice(n))).collect(),
        )
        .await;
        let (before, _) = state(&app.ctx, &session).await;
        assert_eq!(
            (
                before.confirmed_base,
                before.confirmed_flyer,
                before.waitlisted
            ),
            (60, 60, 150),
            "round {round}"
        );
        let mut racers = tokio::task::JoinSet::new();
        for registered in first.iter().take(CANCELS) {
            let (ctx, token) = (app.ctx.clone(), token_of(registered));
            racers.spawn(async move {
                bookings::cancel_by_link(&ctx, &token)
                    .await
                    .map(|(done, _)| done)
            });
        }
        let outcomes = racers.join_all().await;
        let mut promoted = HashSet::new();
        for outcome in outcomes {
            match outcome.expect("every cancel goes through") {
                Cancelled::Now { promoted: Some(id) } => {
                    assert!(promoted.insert(id), "promoted twice");
                }
                other => {
                    panic!("a confirmed spot freed with people waiting must promote: {other:?}")
                }
            }
        }
        assert_eq!(promoted.len(), CANCELS, "round {round}");
        let (after, registrations) = state(&app.ctx, &session).await;
        assert_eq!((after.confirmed_base, after.confirmed_flyer), (60, 60));
        assert_eq!(after.waitlisted as usize, 150 - CANCELS);
        check_invariants(&after, &registrations);
        // Promotions went down the waitlist in order: whoever still waits joined after
        // everyone promoted into a role they could have taken.
        let joined = |id: &RegistrationId| before.waiting.iter().position(|w| w.id == *id);
        for waiter in &after.waiting {
            for id in &promoted {
                let promoted_to = registrations.iter().find(|r| r.id == *id).unwrap().role;
                if promoted_to.is_some_and(|role| waiter.requested.roles().contains(&role)) {
                    assert!(
                        joined(id) < joined(&waiter.id),
                        "promoted ahead of their turn"
                    );
                }
            }
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn one_address_racing_itself_gets_one_registration() {
    let (app, session) = session_with(10, 10).await;
    let mut racers = tokio::task::JoinSet::new();
    for n in 0..30 {
        let (ctx, session) = (app.ctx.clone(), session.clone());
        racers.spawn(async move {
            bookings::register(&ctx, &session, input(7, RoleChoice::Base), public_client(n)).await
        });
    }
    let outcomes = racers.join_all().await;
    let won = outcomes.iter().filter(|outcome| outcome.is_ok()).count();
    let refused = outcomes
        .iter()
        .filter(|outcome| matches!(outcome, Err(bookings::BookingError::AlreadyRegistered(_))))
        .count();
    assert_eq!((won, refused), (1, 29));
    let (stored, registrations) = state(&app.ctx, &session).await;
    assert_eq!(registrations.len(), 1);
    assert_eq!(stored.confirmed_base, 1);
    check_invariants(&stored, &registrations);
    check_one_confirmation_each(&app.ctx, &registrations).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn one_cancel_link_pressed_many_times_cancels_once_and_promotes_once() {
    let (app, session) = session_with(1, 1).await;
    let first = bookings::register(
        &app.ctx,
        &session,
        input(1, RoleChoice::Base),
        public_client(1),
    )
    .await
    .unwrap();
    for n in 2..5 {
        bookings::register(
            &app.ctx,
            &session,
            input(n, RoleChoice::Base),
            public_client(n),
        )
        .await
        .unwrap();
    }
    let token = token_of(&first);
    let mut racers = tokio::task::JoinSet::new();
    for _ in 0..20 {
        let (ctx, token) = (app.ctx.clone(), token.clone());
        racers.spawn(async move { bookings::cancel_by_link(&ctx, &token).await.unwrap().0 });
    }
    let outcomes = racers.join_all().await;
    let now = outcomes
        .iter()
        .filter(|o| matches!(o, Cancelled::Now { .. }))
        .count();
    let promotions = outcomes
        .iter()
        .filter(|o| matches!(o, Cancelled::Now { promoted: Some(_) }))
        .count();
    assert_eq!((now, promotions), (1, 1));
    assert_eq!(
        outcomes.len() - now,
        19,
        "the rest hear it was already cancelled"
    );
    let (stored, registrations) = state(&app.ctx, &session).await;
    assert_eq!((stored.confirmed_base, stored.waitlisted), (1, 2));
    check_invariants(&stored, &registrations);
    // The next in line, person 2, got the spot.
    let promoted = registrations
        .iter()
        .find(|r| r.email.as_str() == "person2@example.org")
        .unwrap();
    assert_eq!(promoted.status, RegistrationStatus::Confirmed);
}

#[tokio::test]
async fn either_takes_the_open_role_and_raising_a_capacity_promotes_from_the_waitlist() {
    let (app, jam) = jam_with(1, 1).await;
    let session = jam.session.clone();
    let register = |n, choice| {
        let ctx = app.ctx.clone();
        let session = session.clone();
        async move {
            bookings::register(&ctx, &session, input(n, choice), public_client(n))
                .await
                .unwrap()
        }
    };
    let a = register(1, RoleChoice::Either).await;
    assert_eq!(a.registration.role, Some(Role::Base), "bases first");
    let b = register(2, RoleChoice::Either).await;
    assert_eq!(
        b.registration.role,
        Some(Role::Flyer),
        "then the flyer spot"
    );
    let c = register(3, RoleChoice::Base).await;
    assert_eq!(
        (c.registration.status, c.position),
        (RegistrationStatus::Waitlisted, Some(1))
    );
    let d = register(4, RoleChoice::Either).await;
    assert_eq!(d.position, Some(2), "behind the base who came first");
    let e = register(5, RoleChoice::Flyer).await;
    assert_eq!(e.position, Some(2), "behind the either who fits flyer too");

    // The flyer spot frees: the earliest who fits a flyer spot is the "either" (d).
    let b_token = token_of(&b);
    let outcome = bookings::cancel_by_link(&app.ctx, &b_token)
        .await
        .unwrap()
        .0;
    assert_eq!(
        outcome,
        Cancelled::Now {
            promoted: Some(d.registration.id.clone())
        }
    );

    // Raising the base capacity to 3 (the organizer's session edit) promotes c (base); e waits
    // for a flyer spot.
    let (before, _) = state(&app.ctx, &session).await;
    bookings::capacity::edit_session(
        &app.ctx,
        &jam.organizer,
        &jam.series,
        &session,
        SessionEdit {
            starts_at: before.starts_at,
            ends_at: before.ends_at,
            capacity_base: 3,
            capacity_flyer: before.capacity_flyer,
            cost: before.cost.clone(),
            location: before.location.clone(),
            note: before.note.clone(),
        },
    )
    .await
    .unwrap();
    let (stored, registrations) = state(&app.ctx, &session).await;
    let promoted: HashSet<&RegistrationId> = registrations
        .iter()
        .filter(|r| r.promoted_at.is_some())
        .map(|r| &r.id)
        .collect();
    assert_eq!(
        promoted,
        HashSet::from([&d.registration.id, &c.registration.id]),
        "d by the cancel, c by the raise, nobody else"
    );
    let still_waiting: Vec<&RegistrationId> = registrations
        .iter()
        .filter(|r| r.status == RegistrationStatus::Waitlisted)
        .map(|r| &r.id)
        .collect();
    assert_eq!(still_waiting, vec![&e.registration.id]);
    assert_eq!(
        (
            stored.confirmed_base,
            stored.confirmed_flyer,
            stored.waitlisted
        ),
        (2, 1, 1)
    );
    check_invariants(&stored, &registrations);
    let notified = app.told("promoted").await;
    assert_eq!(notified.len(), 2);
}
