//! The local stack behind `make dev` and the tests: the AWS emulator ([`emulator`]), the
//! resources the app expects in it ([`bootstrap`]), the one router that mounts every function's
//! routes ([`router`]), and the queue worker and schedules that Lambda runs in AWS
//! ([`background`]).

pub mod background;
pub mod bootstrap;
pub mod dev;
pub mod emulator;

use axum::Router;
use jamie::Context;

/// Every function's routes in one router, finished once — what the dev server serves and the
/// integration tests drive.
pub fn router(ctx: Context) -> Router {
    jamie_web::finish(web_public::routes(ctx).merge(assets::routes()))
}
