//! What organizers see of registrations: a session's registration table, one
//! registration with its overrides and history, cancelling for someone, and the check-in list.

mod checkin;
mod registration;
mod registrations;

pub use checkin::{CheckinActions, CheckinRow, CheckinView, checkin_list};
pub use registration::{
    BatchCancelView, BatchPerson, CancelConfirmView, HistoryRow, MoveRow, RegistrationDetailView,
    batch_cancel_confirm, cancel_confirm, registration_detail,
};
pub use registrations::{MessageView, RegistrationRow, TableView, registrations_table};

use jamie::{
    bookings::{Attendance, RegistrationStatus},
    values::{Role, RoleChoice},
};
use maud::{Markup, html};

use crate::{Page, icons, layout::csrf_field};

/// "a base", "a flyer": a role as a person holds it.
pub fn as_a(role: Role) -> &'static str {
    match role {
        Role::Base => "a base",
        Role::Flyer => "a flyer",
    }
}

/// "a base", "a flyer", "a base or a flyer": the role a registration stands for.
fn as_a_choice(choice: RoleChoice) -> &'static str {
    match choice {
        RoleChoice::Base => "a base",
        RoleChoice::Flyer => "a flyer",
        RoleChoice::Either => "a base or a flyer",
    }
}

/// "the bases' waitlist", "the flyers' waitlist", "the waitlist (base or flyer)": the queue
/// of a requested role.
pub fn waitlist_of(requested: RoleChoice) -> &'static str {
    match requested {
        RoleChoice::Base => "the bases' waitlist",
        RoleChoice::Flyer => "the flyers' waitlist",
        RoleChoice::Either => "the waitlist (base or flyer)",
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
fn registration_badge(status: RegistrationStatus, position: Option<u32>) -> Markup {
    let (dot, label) = match status {
        RegistrationStatus::Confirmed => ("bg-success", "Confirmed"),
        RegistrationStatus::Waitlisted => ("bg-warning", "Waitlisted"),
        RegistrationStatus::Cancelled => ("bg-base-content/40", "Cancelled"),
    };
    quiet_badge(
        dot,
        html! {
            (label)
            @if let (Some(position), RegistrationStatus::Waitlisted) = (position, status) { " #" (position) }
        },
    )
}

/// "Attended" or "No-show".
fn attendance_badge(attendance: Attendance) -> Markup {
    let (dot, label) = match attendance {
        Attendance::Attended => ("bg-success", "Attended"),
        Attendance::NoShow => ("bg-error", "No-show"),
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
