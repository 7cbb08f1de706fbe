//! `make bench`: figures that the README quotes. Prints each as `name: value unit`.
//!
//! - the emulator's raw TransactWriteItems rate for booking-shaped transactions;
//! - the emulator's resident memory before and after 5,000 registrations (must stay under
//!   500 MB: stock moto keeps every table copy a transaction makes).

use std::time::Instant;

use jamie_tests::{emulator, spawn_app, store_race::race_registrations};

const REGISTRATIONS: usize = 5_000;
const CONCURRENCY: usize = 250;
const MEMORY_LIMIT_MB: f64 = 500.0;

/// Resident memory of a process, from /proc, in MB.
fn rss_mb(pid: u32) -> Option<f64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let kb: f64 = status
        .lines()
        .find_map(|line| line.strip_prefix("VmRSS:"))?
        .trim()
        .trim_end_matches("kB")
        .trim()
        .parse()
        .ok()?;
    Some(kb / 1024.0)
}

#[tokio::main]
async fn main() {
    let app = spawn_app().await;
    let Some(pid) = emulator().pid() else {
        eprintln!("bench: JAMIE_EMULATOR_URL points at an emulator we did not start; unset it");
        std::process::exit(2);
    };
    jamie_tests::store_race::load_filler(&app.ctx.store, 2_000).await;
    let before = rss_mb(pid).unwrap_or_default();

    let started = Instant::now();
    let mut committed = 0;
    for batch in 0..REGISTRATIONS / CONCURRENCY {
        let partition = format!("BENCH#{batch}");
        let cap = u32::try_from(CONCURRENCY).unwrap_or(u32::MAX);
        let outcome = race_registrations(&app.ctx.store, &partition, CONCURRENCY, 0, cap).await;
        assert!(outcome.errors.is_empty(), "{:?}", outcome.errors);
        committed += outcome.succeeded;
    }
    let seconds = started.elapsed().as_secs_f64();
    let after = rss_mb(pid).unwrap_or_default();

    println!(
        "emulator_transact_write_items_per_second: {:.0} tx/s ({committed} booking transactions, {CONCURRENCY} concurrent, 2,000 filler items)",
        committed as f64 / seconds
    );
    println!("emulator_rss_before: {before:.0} MB");
    println!(
        "emulator_rss_after_{REGISTRATIONS}_registrations: {after:.0} MB (limit {MEMORY_LIMIT_MB:.0} MB)"
    );
    if after >= MEMORY_LIMIT_MB {
        eprintln!("bench: the emulator grew past {MEMORY_LIMIT_MB} MB");
        std::process::exit(1);
    }
}
