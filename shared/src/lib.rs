//! Jamie's domain crate: everything the Lambda functions share and nothing about HTTP.
//!
//! Functions build one [`Context`] at start (typed [`Config`], AWS clients, [`Clock`]) and call the
//! domain operations with it. The DynamoDB single-table store lives in [`store`].

pub mod accounts;
pub mod adapters;
pub mod auth;
pub mod authorization;
pub mod bookings;
pub mod clock;
pub mod config;
pub mod context;
pub mod error;
pub mod health;
pub mod http;
pub mod ids;
pub mod jams;
pub mod jobs;
pub mod notifications;
pub mod passwords;
pub mod store;
pub mod telemetry;
pub mod values;

pub use clock::Clock;
pub use config::Config;
pub use context::Context;
pub use error::Error;
