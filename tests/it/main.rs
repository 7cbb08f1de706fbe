//! Jamie's integration tests: one binary, one module per area, each test on its own fresh
//! resources in the emulator the harness starts.

mod account_safety;
mod auth;
mod batch_cancel;
mod bookings;
mod deliveries;
mod dev_server;
mod headers;
mod health;
mod holds;
mod jams;
mod lambda;
mod limits;
mod messages;
mod notifications;
mod organizing;
mod photos;
mod places;
mod public;
mod race;
mod table;
mod web;
