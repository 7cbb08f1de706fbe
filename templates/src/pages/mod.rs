//! One module per page (or family of pages).

pub mod account;
pub mod admin;
pub mod auth;
pub mod calendar;
pub mod dashboard;
pub mod deliveries;
pub mod error;
pub mod home;
pub mod jams;
pub mod mailbox;
pub mod organizer;
pub mod public;
