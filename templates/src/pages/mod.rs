//! One module per page (or family of pages).

pub mod account;
pub mod admin;
pub mod auth;
pub mod error;
pub mod home;
pub mod mailbox;
