//! The store under contention, against the emulator, with 2,000 other items in the table (the
//! size at which stock moto overbooked): 300 racing conditional updates and 300 racing booking
//! transactions, five rounds in a row. Counts must be exact every time. It runs on the race
//! emulator, as the booking races do, so its hundreds of requests queue behind their own lock.

use jamie::store::Key;
use jamie_tests::{
    Options, spawn_app_with,
    store_race::{count, counter_value, load_filler, race_counter, race_registrations},
};

const CLIENTS: usize = 300;
const SHARING: usize = 50;
const CAP: u32 = 10;

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn capacity_and_uniqueness_hold_under_300_racing_clients() {
    let app = spawn_app_with(Options {
        race: true,
        ..Options::default()
    })
    .await;
    let store = &app.ctx.store;
    load_filler(store, 2_000).await;

    for round in 0..5 {
        // Conditional updates alone: exactly `CAP` increments win.
        let counter = Key {
            pk: format!("RACE#{round}#COUNTER"),
            sk: "COUNTER".to_owned(),
        };
        let outcome = race_counter(store, &counter, CLIENTS, CAP).await;
        assert!(
            outcome.errors.is_empty(),
            "round {round}: {:?}",
            outcome.errors
        );
        assert_eq!(outcome.succeeded, CAP as usize, "round {round}");
        assert_eq!(outcome.refused, CLIENTS - CAP as usize, "round {round}");
        assert_eq!(counter_value(store, &counter).await, CAP, "round {round}");

        // Booking transactions at a cap of 10: exactly 10 commit, at most one of the 50
        // sharing an email, and the table holds exactly what committed.
        let partition = format!("RACE#{round}#CAPPED");
        let outcome = race_registrations(store, &partition, CLIENTS, SHARING, CAP).await;
        assert!(
            outcome.errors.is_empty(),
            "round {round}: {:?}",
            outcome.errors
        );
        assert_eq!(outcome.succeeded, CAP as usize, "round {round}");
        let shared = count(store, &partition, "EMAIL#shared@").await;
        assert!(
            shared <= 1,
            "round {round}: {shared} registrations share one email"
        );
        assert_eq!(
            count(store, &partition, "REG#").await,
            CAP as usize,
            "round {round}"
        );
        assert_eq!(
            count(store, &partition, "EMAIL#").await,
            CAP as usize,
            "round {round}"
        );
        let counter = Key {
            pk: partition.clone(),
            sk: "COUNTER".to_owned(),
        };
        assert_eq!(counter_value(store, &counter).await, CAP, "round {round}");

        // The same with room for everyone: exactly one of the 50 sharing an email wins, all
        // 250 others commit.
        let partition = format!("RACE#{round}#ROOMY");
        let room = u32::try_from(CLIENTS).unwrap();
        let outcome = race_registrations(store, &partition, CLIENTS, SHARING, room).await;
        assert!(
            outcome.errors.is_empty(),
            "round {round}: {:?}",
            outcome.errors
        );
        let winners = CLIENTS - SHARING + 1;
        assert_eq!(outcome.succeeded, winners, "round {round}");
        assert_eq!(
            count(store, &partition, "EMAIL#shared@").await,
            1,
            "round {round}"
        );
        assert_eq!(
            count(store, &partition, "REG#").await,
            winners,
            "round {round}"
        );
        assert_eq!(
            count(store, &partition, "EMAIL#").await,
            winners,
            "round {round}"
        );
        let counter = Key {
            pk: partition,
            sk: "COUNTER".to_owned(),
        };
        assert_eq!(
            counter_value(store, &counter).await as usize,
            winners,
            "round {round}"
        );
    }
}
