//! One module per page (or family of pages).

pub mod error;
pub mod home;
