//! Jamie's domain crate: everything the Lambda functions share and nothing about HTTP.
//!
//! Functions build one [`Context`] at start (typed [`Config`], AWS clients, [`Clock`]) and call the
//! domain operations with it. The DynamoDB single-table store lives in [`store`].
//!
//! Layers, bottom up. A module uses only its own layer and those below it, never in a circle;
//! where a lower module's change needs work above it, the caller above orchestrates
//! (`layers.rs` checks this on every `cargo test`):
//! 1. foundations: `store`, `ids`, `clock`, `config`, `error`, `http`, `context`, `tokens`
//!    (signing keys), `limits` (hourly and daily rate limits), `telemetry`, `health`, adapters
//! 2. `values`: parsed values and form fields (`Email`, `DisplayName`, `Role`, `Fields`)
//! 3. `authorization` (who may do what, the acting user) and `outbox` (notification items)
//! 4. `accounts`: users, their standing, their email address
//! 5. `sign_ins` (magic links, sign-ins, signing out) and `passwords`
//! 6. `jams`: series, sessions, invites, photos, places
//! 7. `bookings`: registrations, waitlists, the participant's view
//! 8. on top: `account_changes` (account operations that reach into sign-ins and series),
//!    `admin` (the superadmin's overviews across accounts and series), `notifications`
//!    (delivering the outbox), `jobs` (scheduled work), `deliveries` (what SES says became of
//!    each email, the suppression list, the delivery log)

pub mod account_changes;
pub mod accounts;
pub mod adapters;
pub mod admin;
pub mod authorization;
pub mod bookings;
pub mod clock;
pub mod config;
pub mod context;
pub mod deliveries;
pub mod error;
pub mod health;
pub mod http;
pub mod ids;
pub mod jams;
pub mod jobs;
mod layers;
pub mod limits;
pub mod notifications;
pub mod outbox;
pub mod passwords;
pub mod sign_ins;
pub mod store;
pub mod telemetry;
pub mod tokens;
pub mod values;

pub use clock::Clock;
pub use config::Config;
pub use context::Context;
pub use error::Error;
