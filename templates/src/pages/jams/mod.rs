//! An organizer's jam series: the series form, the series page, scheduling sessions, one
//! session, the co-organizer invite, the photo upload; here the badges and links they share.

mod confirm;
mod fields;
mod invite;
mod photo;
mod schedule;
mod series;
mod series_form;
mod session;
#[cfg(test)]
mod testing;

pub use confirm::{ConfirmView, confirm_page};
pub use invite::{InviteState, InviteView, invite_page};
pub use photo::{PhotoFormView, photo_form};
pub use schedule::{ScheduleFormView, schedule_form};
pub use series::{InviteRow, OrganizerRow, SeriesView, SessionRow, series_page};
pub use series_form::{PlaceSuggestion, SeriesFormView, place_suggestions, series_form};
pub use session::{SessionView, session_page};

use maud::{Markup, html};

use jamie::jams::{series::Visibility, sessions::SessionStatus};

use crate::icons;

/// "Scheduled", "Cancelled", "Completed".
pub fn status_label(status: SessionStatus) -> &'static str {
    match status {
        SessionStatus::Scheduled => "Scheduled",
        SessionStatus::Cancelled => "Cancelled",
        SessionStatus::Completed => "Completed",
    }
}

/// The colour of a status badge's dot: the words carry the meaning, the dot a hint of it.
fn status_dot(status: SessionStatus) -> &'static str {
    match status {
        SessionStatus::Scheduled => "bg-info",
        SessionStatus::Cancelled => "bg-error",
        SessionStatus::Completed => "bg-base-content/50",
    }
}

/// A calm label: small, outlined in the text colour (visible on light and dark cards alike),
/// capitalised, with a coloured dot. One style for statuses, roles and "Changed".
pub fn tag(dot: &str, label: &str) -> Markup {
    html! {
        span class="badge badge-sm badge-outline gap-1.5 whitespace-nowrap" {
            span class={ "size-2 rounded-full " (dot) } aria-hidden="true" {}
            (label)
        }
    }
}

/// The badge naming a session's status.
pub fn status_badge(status: SessionStatus) -> Markup {
    tag(status_dot(status), status_label(status))
}

/// "Owner" or "Co-organizer", in the same style.
pub fn role_tag(owner: bool) -> Markup {
    if owner {
        tag("bg-primary", "Owner")
    } else {
        tag("bg-secondary", "Co-organizer")
    }
}

/// "Changed": the session differs from its series.
pub fn changed_tag() -> Markup {
    html! {
        span title="Place, price or capacity differs from the series" {
            (tag("bg-warning", "Changed"))
        }
    }
}

/// "Public" or "Unlisted": who can find a series.
pub fn visibility_badge(visibility: Visibility) -> Markup {
    html! {
        @if visibility == Visibility::Unlisted {
            span class="badge badge-outline" title="Reachable only by its links" { "Unlisted" }
        } @else {
            span class="badge badge-success" { "Public" }
        }
    }
}

/// Confirmed people in one role against its capacity (over capacity when confirmed > capacity:
/// show it clearly, e.g. "12/10 — 2 over").
#[derive(Clone, Copy, Debug, Default)]
pub struct RoleCount {
    pub confirmed: u32,
    pub capacity: u32,
}

impl RoleCount {
    /// How many more are confirmed than fit; 0 when within capacity.
    pub fn over(self) -> u32 {
        self.confirmed.saturating_sub(self.capacity)
    }
}

/// "Bases 3/10", or "Bases 12/10 · 2 over" in bold with a small warning icon, inline.
pub fn role_count(role: &str, count: RoleCount) -> Markup {
    let over = count.over();
    html! {
        span class={ "whitespace-nowrap" @if over > 0 { " font-semibold inline-flex items-center gap-1" } } {
            @if over > 0 { (icons::exclamation_triangle("size-4 shrink-0 text-error")) }
            (role) " " (count.confirmed) "/" (count.capacity)
            @if over > 0 { " · " (over) " over" }
        }
    }
}

/// "7 confirmed, 2 waiting", "none yet": how a registrations link sums a session up.
pub fn registrations_summary(confirmed: u32, waiting: u32) -> String {
    match (confirmed, waiting) {
        (0, 0) => "none yet".to_owned(),
        (confirmed, 0) => format!("{confirmed} confirmed"),
        (confirmed, waiting) => format!("{confirmed} confirmed, {waiting} waiting"),
    }
}

/// Where an organizer goes from a session: its pages and the public link to share.
#[derive(Clone, Debug, Default)]
pub struct SessionLinks {
    /// The organizer's session page, `/jams/{series}/sessions/{session}`.
    pub manage: String,
    /// The public page, `/s/{session}`.
    pub public: String,
    /// The public page's full address (`BASE_URL` + `/s/{session}`), to copy.
    pub share_url: String,
    pub registrations: String,
    pub checkin: String,
    pub csv: String,
    /// The registrations table's "Add someone" form.
    pub add: String,
}

/// The full public address in a read-only field labelled "Link to share" (select and copy
/// works without JavaScript) and a "Copy link" button (`jams.js`).
pub fn share_box(id: &str, label: &str, url: &str) -> Markup {
    html! {
        div class="flex flex-col gap-1 w-full" {
            label for=(id) class="text-sm font-semibold" { (label) }
            div class="join w-full" {
                input id=(id) type="text" readonly value=(url) data-select-on-focus
                    class="input input-sm join-item w-full min-w-0 font-mono";
                button type="button" data-copy-target=(id) class="btn btn-sm join-item" {
                    (icons::link("size-4")) span data-copy-label { "Copy link" }
                }
            }
        }
    }
}

/// A session's ways out, for a list of sessions: "Registrations · 7 confirmed, 2 waiting",
/// "Public page", "Copy link", and under "More" the check-in list, the CSV and "Add someone".
/// `which` names the session for screen readers (", Tue 8 Dec"), so each link's name still
/// starts with its visible words.
pub fn session_actions(
    links: &SessionLinks,
    which: &str,
    confirmed: u32,
    waiting: u32,
    can_add: bool,
) -> Markup {
    html! {
        div class="flex flex-wrap items-center gap-2" {
            a href=(links.registrations) class="btn btn-sm btn-primary" {
                (icons::users("size-4"))
                "Registrations" span class="sr-only" { (which) }
                span class="font-normal" { " · " (registrations_summary(confirmed, waiting)) }
            }
            a href=(links.public) class="btn btn-sm" {
                "Public page" span class="sr-only" { (which) }
            }
            button type="button" data-copy-text=(links.share_url) class="btn btn-sm" {
                (icons::link("size-4"))
                span data-copy-label { "Copy link" } span class="sr-only" { (which) }
            }
            details class="dropdown dropdown-end" {
                summary class="btn btn-sm btn-ghost" { "More" span class="sr-only" { (which) } }
                ul class="dropdown-content menu bg-base-100 rounded-box z-10 w-48 p-2 shadow" {
                    li { a href=(links.checkin) { "Check-in list" span class="sr-only" { (which) } } }
                    li { a href=(links.csv) { "Export CSV" span class="sr-only" { (which) } } }
                    @if can_add {
                        li { a href=(links.add) { "Add someone" span class="sr-only" { (which) } } }
                    }
                }
            }
        }
    }
}

/// "Bases 3/10 · Flyers 4/10 · 2 waitlisted".
pub fn counts_line(base: RoleCount, flyer: RoleCount, waitlist: u32) -> Markup {
    html! {
        span class="flex flex-wrap gap-x-2 gap-y-1" {
            (role_count("Bases", base))
            span aria-hidden="true" { "·" }
            (role_count("Flyers", flyer))
            @if waitlist > 0 {
                span aria-hidden="true" { "·" }
                span class="whitespace-nowrap" { (waitlist) " waitlisted" }
            }
        }
    }
}

/// The place, with a map link when there is one.
pub(crate) fn place(venue: &str, address: &str, maps_url: &str) -> Markup {
    html! {
        @if !venue.is_empty() { span class="font-semibold" { (venue) } br; }
        @if !address.is_empty() { span { (address) } br; }
        @if !maps_url.is_empty() {
            a href=(maps_url) target="_blank" rel="noopener noreferrer" class="link link-primary" {
                "Open in Google Maps"
            }
        }
    }
}

/// A label and its value in a details list.
pub(crate) fn detail(icon: Markup, term: &str, value: Markup) -> Markup {
    html! {
        div class="flex gap-3" {
            dt class="text-primary pt-0.5" { (icon) span class="sr-only" { (term) } }
            dd class="min-w-0 break-words" { (value) }
        }
    }
}

/// A link back to the series.
pub(crate) fn back_link(href: &str, name: &str) -> Markup {
    html! {
        a href=(href) class="link link-hover text-sm inline-flex items-center gap-1 self-start" {
            (icons::chevron_left("size-4")) (name)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn over_capacity_is_bold_with_an_icon_and_badges_are_solid() {
        let over = role_count(
            "Bases",
            RoleCount {
                confirmed: 12,
                capacity: 10,
            },
        )
        .into_string();
        assert!(over.starts_with(
            r#"<span class="whitespace-nowrap font-semibold inline-flex items-center gap-1"><svg"#
        ));
        assert!(over.ends_with("</svg>Bases 12/10 · 2 over</span>"));
        let within = role_count("Bases", RoleCount::default()).into_string();
        assert_eq!(
            within,
            r#"<span class="whitespace-nowrap">Bases 0/0</span>"#
        );
        for (status, dot) in [
            (SessionStatus::Scheduled, "bg-info"),
            (SessionStatus::Cancelled, "bg-error"),
            (SessionStatus::Completed, "bg-base-content/50"),
        ] {
            assert_eq!(
                status_badge(status).into_string(),
                format!(
                    r#"<span class="badge badge-sm badge-outline gap-1.5 whitespace-nowrap"><span class="size-2 rounded-full {dot}" aria-hidden="true"></span>{}</span>"#,
                    status_label(status)
                )
            );
        }
        // Owner and co-organizer in the same style.
        assert!(
            role_tag(true)
                .into_string()
                .contains("badge badge-sm badge-outline")
        );
        assert!(
            role_tag(false)
                .into_string()
                .contains("badge badge-sm badge-outline")
        );
    }
}
