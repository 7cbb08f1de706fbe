//! What organizers see of registrations: a session's registration table, one
//! registration with its overrides and history, cancelling for someone, and the check-in list.

mod checkin;
mod registration;
mod registrations;

pub use checkin::{CheckinActions, CheckinRow, CheckinView, checkin_list};
pub use registration::{
    CancelConfirmView, HistoryRow, MoveRow, RegistrationDetailView, cancel_confirm,
    registration_detail,
};
pub use registrations::{RegistrationRow, TableView, registrations_table};

use maud::{Markup, html};

use crate::{Page, icons, layout::csrf_field};

/// "a base", "a flyer": a role as a person holds it.
pub fn as_a(role: &str) -> &str {
    match role {
        "base" => "a base",
        "flyer" => "a flyer",
        _ => "a base or a flyer",
    }
}

/// "the bases' waitlist", "the flyers' waitlist", "the waitlist (base or flyer)": the queue
/// of a requested role.
pub fn waitlist_of(requested: &str) -> &str {
    match requested {
        "base" => "the bases' waitlist",
        "flyer" => "the flyers' waitlist",
        _ => "the waitlist (base or flyer)",
    }
}

/// A quiet badge: plain text on the page colour with a thin border and a coloured dot, so
/// the badge is quieter than the name it labels and keeps the text's full contrast.
fn quiet_badge(dot: &str, label: Markup) -> Markup {
    html! {
        span class="badge badge-sm gap-1.5 whitespace-nowrap border-base-300 bg-base-100 font-normal" {
            span class={ "size-2 shrink-0 rounded-full " (dot) } aria-hidden="true" {}
            (label)
        }
    }
}

/// A registration's status, with the waitlist position.
fn registration_badge(status: &str, position: Option<u32>) -> Markup {
    let (dot, label) = match status {
        "confirmed" => ("bg-success", "Confirmed"),
        "waitlisted" => ("bg-warning", "Waitlisted"),
        "cancelled" => ("bg-base-content/40", "Cancelled"),
        other => ("bg-base-content/40", other),
    };
    quiet_badge(
        dot,
        html! {
            (label)
            @if let (Some(position), "waitlisted") = (position, status) { " #" (position) }
        },
    )
}

/// "Attended" or "No-show".
fn attendance_badge(attendance: &str) -> Markup {
    let (dot, label) = match attendance {
        "attended" => ("bg-success", "Attended"),
        "no_show" => ("bg-error", "No-show"),
        other => ("bg-base-content/40", other),
    };
    quiet_badge(dot, html! { (label) })
}

/// A success notice saying what the last action did; after a cancel, with the button that
/// adds the person back.
fn done_notice(page: &Page<'_>, notice: &str, undo_action: Option<&str>) -> Markup {
    html! {
        div id="done" class="alert alert-success flex flex-wrap items-center scroll-mt-4" role="status" {
            (icons::check_circle("size-6 shrink-0"))
            span class="flex-1 min-w-48" { (notice) }
            @if let Some(action) = undo_action {
                form method="post" action=(action) {
                    (csrf_field(page.csrf))
                    button type="submit" class="btn btn-sm max-md:min-h-11" { "Add them back" }
                }
            }
        }
    }
}
