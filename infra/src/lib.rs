//! The local stack behind `make dev` and the tests: the AWS emulator ([`emulator`]), the
//! resources the app expects in it ([`bootstrap`]), the one router that mounts every function's
//! routes ([`router`]), the outbox relay of the table's stream ([`relay`]), and the queue
//! worker and schedules that Lambda runs in AWS ([`background`]).

pub mod background;
pub mod bootstrap;
pub mod dev;
pub mod emulator;
pub mod inbox;
mod mailbox;
pub mod relay;

use axum::Router;
use jamie::Context;
use web_common::Routes;

/// Every function's routes, plus the dev mailbox.
pub fn routes() -> Routes {
    web_public::routes()
        .merge(web_auth::routes())
        .merge(web_admin::routes())
        .merge(web_jams::routes())
        .merge(web_dashboard::routes())
        .merge(mailbox::routes())
}

/// Every function's routes in one router, finished once — what the dev server serves and the
/// integration tests drive.
pub fn router(ctx: Context) -> Router {
    web_common::finish(routes().into_router(ctx).merge(assets::routes()))
}
