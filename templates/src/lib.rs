//! Jamie's views: the one layout every page uses, its components, the pages, and the static
//! assets (stylesheet, htmx, theme script) embedded in the binary under content-hashed names.
//! Views take plain data and return `Markup`; they never touch the store or HTTP.

pub mod assets;
pub mod components;
pub mod icons;
pub mod layout;
pub mod pages;

pub use layout::{Page, Theme, Viewer, csrf_field, layout};
pub use maud::Markup;
