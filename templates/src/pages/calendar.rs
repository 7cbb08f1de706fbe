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

fn entry_class(status: SessionStatus) -> &'static str {
    match status {
        SessionStatus::Scheduled => "bg-primary/15 hover:bg-primary/25",
        SessionStatus::Cancelled => "bg-error/10 text-error line-through hover:bg-error/20",
        SessionStatus::Completed => "bg-base-200 text-base-content/60 hover:bg-base-300",
    }
}

/// A session as a small coloured link; a non-scheduled status is also spelled out for screen
/// readers, since colour and strike-through are not announced.
fn entry(entry: &CalendarEntry, class: &str) -> Markup {
    html! {
        a href=(entry.href) title={ (entry.time) " " (entry.series) }
            class={ "block rounded-field px-1.5 py-0.5 " (class) " " (entry_class(entry.status)) } {
            @if entry.status != SessionStatus::Scheduled {
                span class="sr-only" { (entry.status.label()) ": " }
            }
            span class="tabular-nums font-semibold" { (entry.time) } " " (entry.series)
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
                                        @if !day.in_month { " bg-base-200 opacity-60" }
                                        @if day.today { " bg-primary/5" } } {
                                        div class="flex justify-end" {
                                            time datetime=(day.date) aria-current=[day.today.then_some("date")]
                                                class={ "text-sm size-7 inline-flex items-center justify-center rounded-full"
                                                    @if day.today { " bg-primary text-primary-content font-bold" } } {
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
                },
                CalendarEntry {
                    href: "/jams/s2/sessions/d1".into(),
                    time: "20:00".into(),
                    series: "Gym jam".into(),
                    status: SessionStatus::Cancelled,
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
}
