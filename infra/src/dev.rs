//! `make dev`: the emulator (started unless `JAMIE_EMULATOR_URL` names one), the local
//! resources, every route on http://127.0.0.1:$PORT, the queue worker and the schedules — in one
//! process that Ctrl-C stops cleanly, keeping the data in `.data/` for the next run.
//!
//! Knobs (the end-to-end harness uses them to run a fresh stack beside `make dev`): `PORT`
//! (default 3000; 0 picks a free port), `EMULATOR_PORT` (default 4566; 0 picks a free port),
//! `JAMIE_DATA_DIR` (default `.data`; a relative path is taken from the workspace root),
//! `SUPERADMIN_EMAILS` (comma-separated). Once serving, the log says
//! `Jamie is running on http://127.0.0.1:<port>` with the port actually bound, which is also the
//! base URL of every emailed link.

use std::{net::SocketAddr, time::Duration};

use jamie::{Clock, Context};
use tokio::net::TcpListener;

use crate::{
    background,
    bootstrap::{self, Names},
    emulator::{self, Emulator},
    router,
};

type BoxError = Box<dyn std::error::Error + Send + Sync>;

/// Reads a port from the environment variable `name`, or `default`.
fn port(name: &str, default: u16) -> Result<u16, BoxError> {
    match std::env::var(name) {
        Ok(raw) => raw
            .parse()
            .map_err(|_| format!("{name} must be a port number, not {raw:?}").into()),
        Err(_) => Ok(default),
    }
}

/// Where the dev server keeps its state: `JAMIE_DATA_DIR`, or `.data/` in the workspace root.
fn data_dir() -> std::path::PathBuf {
    let root = emulator::workspace_root();
    match std::env::var_os("JAMIE_DATA_DIR") {
        Some(dir) if !dir.is_empty() => root.join(dir),
        _ => root.join(".data"),
    }
}

/// Runs the whole local app until Ctrl-C or SIGTERM.
pub async fn run() -> Result<(), BoxError> {
    let port = port("PORT", 3000)?;
    let data = data_dir();
    std::fs::create_dir_all(&data)
        .map_err(|e| format!("cannot create the data directory {} ({e})", data.display()))?;
    let options = emulator::Options {
        port: self::port("EMULATOR_PORT", 4566)?,
        state: Some(data.join("emulator.state")),
    };
    let mut emulator = tokio::task::spawn_blocking(move || Emulator::start(&options)).await??;
    tracing::info!(url = %emulator.url, "emulator ready");

    let listener = TcpListener::bind(SocketAddr::from(([127, 0, 0, 1], port)))
        .await
        .map_err(|e| {
            format!("cannot listen on 127.0.0.1:{port} ({e}); set PORT to another port")
        })?;
    // With PORT=0 the system picks the port: the links in emails must carry the bound one.
    let base_url = format!("http://{}", listener.local_addr()?);
    let mut config = bootstrap::local(&emulator.url, &Names::dev(), &base_url).await?;
    config.session_secret = session_secret(&data.join("session-secret"))?;
    config.superadmin_emails = std::env::var("SUPERADMIN_EMAILS")
        .unwrap_or_default()
        .split(',')
        .map(|email| email.trim().to_lowercase())
        .filter(|email| !email.is_empty())
        .collect();
    let ctx = Context::new(config, Clock::system()).await;
    seed_demo(&ctx).await?;

    let relay = background::spawn_relay(ctx.clone());
    let worker = background::spawn_queue_worker(ctx.clone());
    let schedules = background::spawn_schedules(ctx.clone());
    tracing::info!("Jamie is running on {base_url} (Ctrl-C stops it)");
    serve(listener, ctx, shutdown_signal()).await?;

    relay.abort();
    worker.abort();
    schedules.iter().for_each(|job| job.abort());
    tokio::task::spawn_blocking(move || emulator.stop()).await?;
    tracing::info!(
        "stopped; the data stays in {} (make reset clears .data/)",
        data.display()
    );
    Ok(())
}

/// The demo organizer `make dev` starts with, who owns the demo series.
pub const DEMO_ORGANIZER: &str = "demo@jamie.localhost";

/// Creates the demo organizer and their demo series (four weekly sessions from next week)
/// when the table has no such account yet.
async fn seed_demo(ctx: &Context) -> Result<(), BoxError> {
    use jamie::{
        accounts,
        authorization::{Actor, Principal},
        jams::{
            series::{self, SeriesDetails},
            sessions::{self, Schedule},
        },
        values::{DisplayName, Email, Fields},
    };
    let email = Email::parse(DEMO_ORGANIZER)?;
    if accounts::find_by_email(ctx, &email).await?.is_none() {
        let user =
            accounts::find_or_create(ctx, &email, &DisplayName::parse("Demo Organizer")?).await?;
        let organizer = Principal::User(Box::new(Actor {
            user: user.into(),
            sign_in: "seed".parse()?,
        }));
        let form: std::collections::BTreeMap<String, String> = [
            ("name", "Tuesday Acro Jam"),
            (
                "description",
                "Warm-up together at 19:00, then open jamming.\nBeginners welcome: come as a base or a flyer.",
            ),
            ("venue", "Studio Nord"),
            ("address", "Nordstraße 1, 10115 Berlin"),
            ("cost_kind", "donation"),
            ("capacity_base", "10"),
            ("capacity_flyer", "10"),
            ("weekday", "tue"),
            ("start_time", "19:00"),
            ("duration_minutes", "150"),
            ("time_zone", "Europe/Berlin"),
            ("level_notes", "All levels."),
            ("visibility", "public"),
        ]
        .into_iter()
        .map(|(name, value)| (name.to_owned(), value.to_owned()))
        .collect();
        let details =
            SeriesDetails::parse(&Fields(&form)).map_err(|errors| format!("{errors:?}"))?;
        let demo = series::create(ctx, &organizer, details).await?;
        let mut schedule = sessions::schedule_defaults(&demo, ctx.clock.now(), None);
        schedule.insert("count".to_owned(), "4".to_owned());
        let schedule = Schedule::parse(&Fields(&schedule), &demo, ctx.clock.now())
            .map_err(|errors| format!("{errors:?}"))?;
        sessions::schedule(ctx, &organizer, &demo.id, schedule).await?;
        tracing::info!("seeded the demo organizer {DEMO_ORGANIZER} and their series");
    }
    tracing::info!(
        "sign in as {DEMO_ORGANIZER}: request a link on /login, then open it from /dev/mailbox"
    );
    Ok(())
}

/// The dev session secret, made once and kept in `.data/` so logins survive restarts.
fn session_secret(path: &std::path::Path) -> Result<jamie::config::Secret, BoxError> {
    let secret = match std::fs::read_to_string(path) {
        Ok(secret) => secret.trim().to_owned(),
        Err(_) => {
            let secret = jamie::ids::hex(&jamie::ids::random_bytes::<32>());
            std::fs::write(path, &secret)?;
            secret
        }
    };
    Ok(jamie::config::Secret::new(secret)?)
}

/// Serves every route on `listener` until `shutdown` completes, then lets requests in flight
/// finish (up to 5 s).
pub async fn serve(
    listener: TcpListener,
    ctx: Context,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> Result<(), BoxError> {
    let (stopped, stop) = tokio::sync::oneshot::channel::<()>();
    let app = router(ctx).into_make_service_with_connect_info::<SocketAddr>();
    let server = axum::serve(listener, app).with_graceful_shutdown(async move {
        shutdown.await;
        stopped.send(()).ok();
    });
    let server = tokio::spawn(server.into_future());
    let finished = async {
        drop(stop.await);
        tokio::time::sleep(Duration::from_secs(5)).await;
    };
    tokio::select! {
        result = server => result??,
        () = finished => tracing::warn!("requests still running after 5 s; stopping anyway"),
    }
    Ok(())
}

async fn shutdown_signal() {
    let interrupt = tokio::signal::ctrl_c();
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        _ = interrupt => {},
        () = terminate => {},
    }
}
