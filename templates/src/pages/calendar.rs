//! The organizer's month calendar of sessions across their series: a grid on wide screens, a
//! list of the days with sessions on phones.

use jamie::jams::sessions::SessionStatus;
use maud::{Markup, html};

use crate::{
    Page, icons,
    layout::layout,
    pages::jams::{RoleCount, registrations_summary, status_label},
};

/// One session on a day.
#[derive(Clone, Debug)]
pub struct CalendarEntry {
    pub href: String,
    pub time: String,
    pub series: String,
    pub status: SessionStatus,
    /// The session differs from its series (place, price or capacity).
    pub overridden: bool,
    /// The session's series is archived (hidden from participants).
    pub archived: bool,
    pub base: RoleCount,
    pub flyer: RoleCount,
    pub waitlist: u32,
    /// The session's registrations table and public page.
    pub registrations_href: String,
    pub public_href: String,
}

/// One day cell.
#[derive(Clone, Debug, Default)]
pub struct CalendarDay {
    /// e.g. "2026-12-01".
    pub date: String,
    pub day: u8,
    /// False for the days of the previous and next month that fill the first and last week.
    pub in_month: bool,
    pub today: bool,
    pub entries: Vec<CalendarEntry>,
}

#[derive(Clone, Debug, Default)]
pub struct CalendarView<'a> {
    pub month_label: &'a str,
    /// Whether the viewer organizes any series (else the empty month leads to creating one).
    pub has_series: bool,
    pub prev_href: &'a str,
    pub next_href: &'a str,
    pub today_href: &'a str,
    /// Weeks of 7 days each, Monday first.
    pub weeks: Vec<Vec<CalendarDay>>,
}

const WEEKDAYS: [(&str, &str); 7] = [
    ("Mon", "Monday"),
    ("Tue", "Tuesday"),
    ("Wed", "Wednesday"),
    ("Thu", "Thursday"),
    ("Fri", "Friday"),
    ("Sat", "Saturday"),
    ("Sun", "Sunday"),
];

/// The colours of an entry. The text stays in the base colour (at least 70%, over 4.5:1 in both
/// themes): the status colours are too faint as small text on light backgrounds.
fn entry_class(entry: &CalendarEntry) -> &'static str {
    match (entry.status, entry.archived) {
        (SessionStatus::Cancelled, false) => "bg-error/10 line-through hover:bg-error/20",
        (SessionStatus::Cancelled, true) => {
            "bg-base-200 text-base-content/70 line-through hover:bg-base-300"
        }
        (SessionStatus::Scheduled, false) => "bg-primary/15 hover:bg-primary/25",
        (SessionStatus::Completed, _) | (SessionStatus::Scheduled, true) => {
            "bg-base-200 text-base-content/70 hover:bg-base-300"
        }
    }
}

/// A session as a small coloured block: a link to its page (time and the series' name, which
/// wraps rather than being cut), then its counts ("B 7/10 · F 10/10") linking to the
/// registrations table and a link to the public page. A non-scheduled status, a change from the
/// series and an archived series are also spelled out for screen readers, since colour,
/// strike-through and icons are not announced.
fn entry(entry: &CalendarEntry, class: &str) -> Markup {
    let which = format!(" for {} {}", entry.time, entry.series);
    html! {
        div class={ "rounded-field " (entry_class(entry)) } {
            (entry_link(entry, class))
            div class={ "flex flex-wrap items-baseline justify-between gap-x-2 px-1.5 pb-0.5 " (class) } {
                a href=(entry.registrations_href) class="link link-hover tabular-nums"
                    title={ "Registrations: " (registrations_summary(entry.base.confirmed + entry.flyer.confirmed, entry.waitlist)) } {
                    span class="sr-only" { "Registrations" (which) ": " }
                    "B " (entry.base.confirmed) "/" (entry.base.capacity)
                    " · F " (entry.flyer.confirmed) "/" (entry.flyer.capacity)
                    @if entry.waitlist > 0 { " · W " (entry.waitlist) }
                }
                a href=(entry.public_href) class="link link-hover" {
                    "Public" span class="sr-only" { " page" (which) }
                }
            }
        }
    }
}

fn entry_link(entry: &CalendarEntry, class: &str) -> Markup {
    html! {
        a href=(entry.href)
            title={
                (entry.time) " " (entry.series)
                @if entry.overridden { " (changed)" }
                @if entry.archived { " (archived series)" }
            }
            class={ "block rounded-field px-1.5 py-0.5 break-words " (class) } {
            @if entry.status != SessionStatus::Scheduled {
                span class="sr-only" { (status_label(entry.status)) ": " }
            }
            span class="tabular-nums font-semibold" { (entry.time) }
            @if entry.overridden {
                " " (icons::pencil_square("size-3.5 inline-block align-[-0.125em]"))
                span class="sr-only" { " (changed)" }
            }
            " " (entry.series)
            @if entry.archived { span class="sr-only" { " (archived series)" } }
        }
    }
}

pub fn calendar(page: &Page<'_>, view: &CalendarView<'_>) -> Markup {
    let empty = view
        .weeks
        .iter()
        .flatten()
        .all(|day| !day.in_month || day.entries.is_empty());
    layout(
        page,
        html! {
            section class="flex flex-col gap-4" aria-labelledby="calendar-title" {
                div class="flex flex-wrap items-center justify-between gap-3" {
                    h1 id="calendar-title" class="text-3xl font-bold" { (view.month_label) }
                    nav class="join" aria-label="Months" {
                        a href=(view.prev_href) class="btn btn-sm join-item" {
                            (icons::chevron_left("size-4")) span class="sr-only" { "Previous month" }
                        }
                        a href=(view.today_href) class="btn btn-sm join-item" { "Today" }
                        a href=(view.next_href) class="btn btn-sm join-item" {
                            span class="sr-only" { "Next month" } (icons::chevron_right("size-4"))
                        }
                    }
                }
                @if empty {
                    div class="card bg-base-200" {
                        div class="card-body items-start gap-2" {
                            p { "No sessions this month." }
                            @if view.has_series {
                                p class="text-sm text-base-content/80" {
                                    "Look at the next month, or schedule sessions from one of your series."
                                }
                                div class="flex flex-wrap gap-2" {
                                    a href=(view.next_href) class="btn btn-sm" { "Next month" }
                                    a href="/" class="btn btn-sm btn-primary" { "Your series" }
                                }
                            } @else {
                                p class="text-sm text-base-content/80" {
                                    "Sessions appear here once you create a series and schedule them."
                                }
                                a href="/jams/new" class="btn btn-sm btn-primary" { (icons::plus("size-4")) "Create your first series" }
                            }
                        }
                    }
                }
                table class="hidden md:table w-full table-fixed border-collapse" {
                    thead {
                        tr {
                            @for (short, long) in WEEKDAYS {
                                th scope="col" class="text-sm font-semibold text-base-content/70 py-2" {
                                    abbr title=(long) class="no-underline" { (short) }
                                }
                            }
                        }
                    }
                    tbody {
                        @for week in &view.weeks {
                            tr {
                                @for day in week {
                                    td class={ "align-top h-28 border border-base-300 p-1"
                                        // Not dimmed with opacity: that would take the entries' text
                                        // below 4.5:1.
                                        @if !day.in_month { " bg-base-200" }
                                        @if day.today { " bg-primary/5" } } {
                                        div class="flex justify-end" {
                                            time datetime=(day.date) aria-current=[day.today.then_some("date")]
                                                class={ "text-sm size-7 inline-flex items-center justify-center rounded-full"
                                                    @if day.today { " bg-primary text-primary-content font-bold" }
                                                    @else if !day.in_month { " text-base-content/70" } } {
                                                (day.day)
                                            }
                                        }
                                        @if !day.entries.is_empty() {
                                            ul class="flex flex-col gap-1 mt-1" {
                                                @for item in &day.entries { li { (entry(item, "text-xs")) } }
                                            }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
                ol class="md:hidden flex flex-col gap-3" {
                    @for week in &view.weeks {
                        @for (day, (_, weekday)) in week.iter().zip(WEEKDAYS) {
                            @if day.in_month && !day.entries.is_empty() {
                                li class={ "card card-sm bg-base-200" @if day.today { " border border-primary" } } {
                                    div class="card-body gap-2" {
                                        h2 class="font-semibold" {
                                            time datetime=(day.date) aria-current=[day.today.then_some("date")] {
                                                (weekday) " " (day.day)
                                            }
                                            @if day.today { " " span class="badge badge-primary badge-sm" { "Today" } }
                                        }
                                        ul class="flex flex-col gap-1" {
                                            @for item in &day.entries { li { (entry(item, "py-2")) } }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        },
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Theme;

    fn day(date: &str, day: u8, in_month: bool, entries: Vec<CalendarEntry>) -> CalendarDay {
        CalendarDay {
            date: date.into(),
            day,
            in_month,
            today: false,
            entries,
        }
    }

    /// Counts and links of an entry: 7/10 bases, 10/10 flyers, 2 waiting.
    fn counts() -> CalendarEntry {
        CalendarEntry {
            href: String::new(),
            time: String::new(),
            series: String::new(),
            status: SessionStatus::Scheduled,
            overridden: false,
            archived: false,
            base: RoleCount {
                confirmed: 7,
                capacity: 10,
            },
            flyer: RoleCount {
                confirmed: 10,
                capacity: 10,
            },
            waitlist: 2,
            registrations_href: "/jams/s1/sessions/d1/registrations".into(),
            public_href: "/s/d1".into(),
        }
    }

    fn page() -> Page<'static> {
        Page::new("Calendar", "/calendar", Theme::System)
    }

    #[test]
    fn the_month_shows_entries_in_the_grid_and_the_phone_list() {
        let mut week: Vec<CalendarDay> = (0..7)
            .map(|i| day(&format!("2026-11-{:02}", 30 + i), 30 + i, false, vec![]))
            .collect();
        week[1] = day(
            "2026-12-01",
            1,
            true,
            vec![
                CalendarEntry {
                    href: "/jams/s1/sessions/d1".into(),
                    time: "19:00".into(),
                    series: "Park <jam>".into(),
                    status: SessionStatus::Scheduled,
                    overridden: false,
                    archived: false,
                    ..counts()
                },
                CalendarEntry {
                    href: "/jams/s2/sessions/d1".into(),
                    time: "20:00".into(),
                    series: "Gym jam".into(),
                    status: SessionStatus::Cancelled,
                    overridden: false,
                    archived: false,
                    ..counts()
                },
            ],
        );
        week[2] = CalendarDay {
            today: true,
            ..day("2026-12-02", 2, true, vec![])
        };
        let html = calendar(
            &page(),
            &CalendarView {
                month_label: "December 2026",
                prev_href: "/calendar?month=2026-11",
                next_href: "/calendar?month=2027-01",
                today_href: "/calendar",
                has_series: true,
                weeks: vec![week],
            },
        )
        .into_string();
        assert!(html.contains("December 2026"));
        assert!(html.contains(r#"href="/calendar?month=2026-11""#));
        assert!(html.contains(r#"href="/calendar?month=2027-01""#));
        assert!(html.contains("Park &lt;jam&gt;") && !html.contains("<jam>"));
        assert_eq!(html.matches(r#"href="/jams/s1/sessions/d1""#).count(), 2);
        assert!(html.contains("line-through"));
        assert!(html.contains("Cancelled: "));
        assert!(!html.contains("text-error") && !html.contains("opacity-"));
        assert!(!html.contains("(changed)") && !html.contains("(archived series)"));
        assert!(html.contains(r#"aria-current="date""#));
        assert!(html.contains("Tuesday 1"), "the phone list names the day");
        assert!(
            !html.contains("Wednesday 2"),
            "days without sessions are left out of the list"
        );
        assert!(!html.contains("No sessions this month."));
    }

    #[test]
    fn an_empty_month_says_so() {
        let week = (1..=7)
            .map(|d| day(&format!("2026-02-{d:02}"), d, true, vec![]))
            .collect();
        let html = calendar(
            &page(),
            &CalendarView {
                month_label: "February 2026",
                weeks: vec![week],
                ..CalendarView::default()
            },
        )
        .into_string();
        assert!(html.contains("No sessions this month."));
    }

    fn entry_html(overridden: bool, archived: bool, status: SessionStatus) -> String {
        let item = CalendarEntry {
            href: "/jams/s1/sessions/d1".into(),
            time: "19:00".into(),
            series: "Park".into(),
            status,
            overridden,
            archived,
            ..counts()
        };
        entry(&item, "py-2").into_string()
    }

    #[test]
    fn changed_sessions_are_marked_with_an_icon_and_words() {
        let html = entry_html(true, false, SessionStatus::Scheduled);
        assert!(html.contains(r#"title="19:00 Park (changed)""#));
        assert!(html.contains(r#"<span class="tabular-nums font-semibold">19:00</span> <svg"#));
        assert!(html.contains(r#"<span class="sr-only"> (changed)</span> Park</a>"#));
        assert!(html.contains("bg-primary/15"));
    }

    #[test]
    fn sessions_of_archived_series_are_muted_and_say_so() {
        let html = entry_html(false, true, SessionStatus::Scheduled);
        assert!(html.contains(r#"title="19:00 Park (archived series)""#));
        assert!(html.contains(r#"Park<span class="sr-only"> (archived series)</span></a>"#));
        assert!(html.contains("text-base-content/70") && !html.contains("bg-primary"));
        let html = entry_html(true, true, SessionStatus::Cancelled);
        assert!(html.contains(r#"title="19:00 Park (changed) (archived series)""#));
        assert!(html.contains("Cancelled: ") && html.contains("line-through"));
        assert!(html.contains("text-base-content/70") && !html.contains("bg-error"));
    }
}
