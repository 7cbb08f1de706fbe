//! What participants see: a session and its form, "check your inbox", a result page, the confirm
//! and cancel links, a series' upcoming dates, "Find a jam" and their own registrations.

mod cancel;
mod inbox;
mod mine;
mod registered;
mod series;
mod session;

pub use cancel::{CancelState, CancelView, cancel_page};
pub use inbox::{ConfirmState, ConfirmView, InboxView, confirm_page, inbox};
pub use mine::{MyRegistrationRow, MyRegistrationsView, my_registrations};
pub use registered::{RegisteredView, registered};
pub use series::{ListedSeries, PublicSeriesView, SeriesSessionLink, find_jams, public_series};
pub use session::{PublicSessionView, public_session};

use maud::{Markup, html};

use crate::{icons, pages::jams::RoleCount};

/// Where a session stands for participants.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum PublicState {
    #[default]
    Open,
    /// Registration closed: the session started or is past the cut-off.
    Closed,
    Cancelled,
    Completed,
}

impl PublicState {
    pub fn label(self) -> &'static str {
        match self {
            Self::Open => "Open",
            Self::Closed => "Registration closed",
            Self::Cancelled => "Cancelled",
            Self::Completed => "Took place",
        }
    }

    /// Whether the counts still tell anyone something (not once cancelled or over).
    fn counts_matter(self) -> bool {
        matches!(self, Self::Open | Self::Closed)
    }

    /// Solid badges: the soft ones are too faint on light backgrounds.
    fn badge_class(self) -> &'static str {
        match self {
            Self::Open => "badge badge-success",
            Self::Closed | Self::Completed => "badge badge-neutral",
            Self::Cancelled => "badge badge-error",
        }
    }
}

/// The badge naming where a session stands.
fn state_badge(state: PublicState) -> Markup {
    html! { span class=(state.badge_class()) { (state.label()) } }
}

/// "Bases 7/10 · Flyers 10/10 (full) · 3 on the waitlist": what participants see of the counts
/// (a role at or over capacity says "full", and never shows more confirmed than fit: an
/// organizer's choice to confirm over capacity is theirs to see; no waitlist part when nobody
/// waits). Also for [`SeriesSessionLink::counts`].
pub fn counts_text(base: RoleCount, flyer: RoleCount, waitlist: u32) -> String {
    let role = |name: &str, count: RoleCount| {
        if is_full(count) {
            format!("{name} {}/{} (full)", count.capacity, count.capacity)
        } else {
            format!("{name} {}/{}", count.confirmed, count.capacity)
        }
    };
    let mut line = format!("{} · {}", role("Bases", base), role("Flyers", flyer));
    if waitlist > 0 {
        line.push_str(&format!(" · {waitlist} on the waitlist"));
    }
    line
}

/// Whether a role has no spot left for newcomers.
fn is_full(count: RoleCount) -> bool {
    count.confirmed >= count.capacity
}

/// "Ana", "Ana and Bo", "Ana, Bo and Cy".
fn names(list: &[String]) -> String {
    match list {
        [] => String::new(),
        [one] => one.clone(),
        [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
    }
}

/// "Organized by …", when anyone is named.
fn organized_by(organizers: &[String]) -> Markup {
    html! {
        @if !organizers.is_empty() {
            p class="flex items-start gap-2" {
                (icons::user_group("size-5 shrink-0 text-primary"))
                span class="min-w-0 break-words" { "Organized by " (names(organizers)) }
            }
        }
    }
}

/// A photo across the page; decorative, the heading names the jam.
fn photo(url: Option<&str>) -> Markup {
    html! {
        @if let Some(url) = url {
            img src=(url) alt="" class="w-full aspect-video object-cover rounded-box";
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_say_full_and_skip_an_empty_waitlist() {
        let count = |confirmed, capacity| RoleCount {
            confirmed,
            capacity,
        };
        assert_eq!(
            counts_text(count(7, 10), count(10, 10), 3),
            "Bases 7/10 · Flyers 10/10 (full) · 3 on the waitlist"
        );
        assert_eq!(
            counts_text(count(12, 10), count(0, 8), 0),
            "Bases 10/10 (full) · Flyers 0/8",
            "never more than fit"
        );
        assert_eq!(names(&[]), "");
        assert_eq!(names(&["Ana".into()]), "Ana");
        assert_eq!(
            names(&["Ana".into(), "Bo".into(), "Cy".into()]),
            "Ana, Bo and Cy"
        );
    }
}
