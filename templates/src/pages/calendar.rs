//! The organizer's month calendar of sessions across their series: a grid on wide screens, a
//! list of the days with sessions on phones.

use maud::{Markup, html};

use crate::{Page, icons, layout::layout, pages::jams::SessionStatus};

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

/// A session as a small coloured link; a non-scheduled status, a change from the series and an
/// archived series are also spelled out for screen readers, since colour, strike-through and
/// icons are not announced.
fn entry(entry: &CalendarEntry, class: &str) -> Markup {
    html! {
        a href=(entry.href)
            title={
                (entry.time) " " (entry.series)
                @if entry.overridden { " (changed)" }
                @if entry.archived { " (archived series)" }
            }
            class={ "block rounded-field px-1.5 py-0.5 " (class) " " (entry_class(entry)) } {
            @if entry.status != SessionStatus::Scheduled {
                span class="sr-only" { (entry.status.label()) ": " }
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
                    p class="text-base-content/70" { "No sessions this month." }
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
                                                @for item in &day.entries { li { (entry(item, "text-xs truncate")) } }
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
                },
                CalendarEntry {
                    href: "/jams/s2/sessions/d1".into(),
                    time: "20:00".into(),
                    series: "Gym jam".into(),
                    status: SessionStatus::Cancelled,
                    overridden: false,
                    archived: false,
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
