//! The check-in list at the door: bases and flyers side by side, a box per person to print
//! or, once the session has started, one wide button per person to tick them in.

use jamie::{
    bookings::Attendance,
    values::{Role, RoleChoice},
};
use jiff::{Timestamp, tz::TimeZone};
use maud::{Markup, html};

use super::attendance_badge;
use crate::{
    Page, Script,
    components::{Tone, alert},
    layout::{csrf_field, layout},
    pages::jams::back_link,
    when,
};

/// The marks a check-in row can post, once ticking is open.
#[derive(Clone, Debug, Default)]
pub struct CheckinActions {
    pub attended: String,
    pub no_show: String,
    pub clear: String,
}

/// One person on the check-in list.
#[derive(Clone, Debug)]
pub struct CheckinRow {
    /// The registration id: the row's anchor is `p-{id}`.
    pub id: String,
    pub name: String,
    /// The role asked for, shown beside the name unless it is the column's own ("base" among
    /// the bases).
    pub role: RoleChoice,
    /// Once marked.
    pub attendance: Option<Attendance>,
    /// None until the session has started.
    pub actions: Option<CheckinActions>,
}

/// The check-in list of a session.
#[derive(Clone, Debug)]
pub struct CheckinView<'a> {
    pub series_name: &'a str,
    pub date: &'a str,
    pub time: &'a str,
    /// Back to the session's registrations table.
    pub table_href: &'a str,
    /// Before the start: when ticking opens, e.g. "19:00 on Tue 16 Mar 2027".
    pub opens: Option<Timestamp>,
    /// The series' zone, which `opens` is read in.
    pub zone: &'a TimeZone,
    pub bases: &'a [CheckinRow],
    pub flyers: &'a [CheckinRow],
    /// The registration just marked (its row says "Saved").
    pub just_marked: Option<&'a str>,
    pub problem: Option<&'a str>,
}

/// The role beside a name when it is not the column's.
fn role_aside(row: &CheckinRow, role: Role) -> Markup {
    html! {
        @if row.role.as_str() != role.as_str() {
            " " span class="text-sm" { "(" (row.role.as_str()) ")" }
        }
    }
}

/// A row's controls once ticking is open: one wide button that marks them attended (or
/// undoes it) and a "No-show" (or "Clear") beside it, each a form of its own.
fn checkin_controls(
    page: &Page<'_>,
    row: &CheckinRow,
    role: Role,
    actions: &CheckinActions,
) -> Markup {
    let attended = row.attendance == Some(Attendance::Attended);
    let no_show = row.attendance == Some(Attendance::NoShow);
    html! {
        form method="post" action=(if attended { &actions.clear } else { &actions.attended }) class="flex-1 min-w-0 print:hidden" {
            (csrf_field(page.csrf))
            button type="submit"
                class={ "btn h-auto min-h-12 w-full justify-start gap-3 px-3 text-left text-base font-normal "
                    @if attended { "btn-success" } @else { "btn-ghost border-base-300" } } {
                @if attended {
                    span class="grid size-6 shrink-0 place-items-center rounded-sm border-2 border-current font-bold" aria-hidden="true" { "✓" }
                    span class="min-w-0 break-words" {
                        span class="sr-only" { "Undo: " } (row.name) " " span class="text-sm" { "attended" }
                        (role_aside(row, role))
                    }
                } @else {
                    span class="size-6 shrink-0 rounded-sm border-2 border-current" aria-hidden="true" {}
                    span class="min-w-0 break-words" {
                        span class="sr-only" { "Mark " } (row.name) span class="sr-only" { " attended" }
                        (role_aside(row, role))
                        @if no_show { " " (attendance_badge(Attendance::NoShow)) }
                    }
                }
            }
        }
        form method="post" action=(if no_show { &actions.clear } else { &actions.no_show }) class="print:hidden" {
            (csrf_field(page.csrf))
            button type="submit" class="btn btn-ghost min-h-12 px-3 font-normal" {
                @if no_show { "Clear" span class="sr-only" { " no-show for " (row.name) } }
                @else { span class="sr-only" { "Mark " (row.name) " " } "No-show" }
            }
        }
        // What the printed list shows instead of the buttons.
        span class="hidden print:flex items-center gap-3" {
            span class="size-5 shrink-0 rounded-sm border-2 border-current text-center leading-4" aria-hidden="true" {
                @if attended { "✓" }
            }
            span { (row.name) (role_aside(row, role)) }
        }
    }
}

fn checkin_column(
    page: &Page<'_>,
    title: &str,
    role: Role,
    rows: &[CheckinRow],
    just_marked: Option<&str>,
) -> Markup {
    let id = format!("checkin-{}", role.as_str());
    let here = rows
        .iter()
        .filter(|row| row.attendance == Some(Attendance::Attended))
        .count();
    let open = rows.iter().any(|row| row.actions.is_some());
    html! {
        section class="flex flex-col gap-1 min-w-0" aria-labelledby=(id) {
            h2 id=(id) class="text-xl font-bold border-b-2 border-current pb-1" {
                (title) " (" (rows.len()) ")"
                @if open { span class="text-base font-normal" { " · " (here) " here" } }
            }
            @if rows.is_empty() {
                p class="py-2" { "Nobody." }
            } @else {
                ul {
                    @for row in rows {
                        li id={ "p-" (row.id) } class="flex items-center gap-2 py-2 border-b border-base-300 break-inside-avoid scroll-mt-4" {
                            @if let Some(actions) = &row.actions {
                                (checkin_controls(page, row, role, actions))
                            } @else {
                                span class="size-5 shrink-0 rounded-sm border-2 border-current" aria-hidden="true" {}
                                span class="min-w-0 break-words" { (row.name) (role_aside(row, role)) }
                            }
                            @if just_marked == Some(row.id.as_str()) {
                                span class="text-sm print:hidden" role="status" { "Saved" }
                            }
                        }
                    }
                }
            }
        }
    }
}

/// The list at the door: bases and flyers side by side. Once the session has started, each
/// person is one wide button to tick them in (and undo, or mark a no-show); before, it says
/// from when, and prints with a box per person.
pub fn checkin_list(page: &Page<'_>, view: &CheckinView<'_>) -> Markup {
    layout(
        &page.clone().script(Script::Organizer),
        html! {
            section class="flex flex-col gap-4 print:text-black" aria-labelledby="checkin-title" {
                div class="print:hidden" { (back_link(view.table_href, "Back to registrations")) }
                header class="flex flex-wrap items-start justify-between gap-2" {
                    div class="min-w-0" {
                        h1 id="checkin-title" class="text-2xl font-bold break-words" { (view.series_name) }
                        p { "Check-in list · " (view.date) " · " span class="tabular-nums" { (view.time) } }
                    }
                    // Shown by jams.js, which prints on click; the browser's print works anyway.
                    button type="button" data-print hidden class="btn btn-sm print:hidden" { "Print" }
                }
                @if let Some(problem) = view.problem { (alert(Tone::Error, problem)) }
                @if let Some(opens) = view.opens.map(|at| when::time_on_date(at, view.zone)) {
                    div class="print:hidden" {
                        (alert(Tone::Info, &format!("You can tick people in here from {opens}, when the session starts. Until then, print the list or come back at the jam.")))
                    }
                }
                div class="grid gap-6 sm:grid-cols-2 print:grid-cols-2" {
                    (checkin_column(page, "Bases", Role::Base, view.bases, view.just_marked))
                    (checkin_column(page, "Flyers", Role::Flyer, view.flyers, view.just_marked))
                }
            }
        },
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::test_support::{berlin, page, post_actions};

    fn checkin_view<'a>(bases: &'a [CheckinRow], opens: Option<&str>) -> CheckinView<'a> {
        CheckinView {
            series_name: "Park <jam>",
            date: "Tue 1 Dec 2026",
            time: "19:00",
            table_href: "/jams/s1/sessions/d1/registrations",
            opens: opens.map(|at| at.parse().unwrap()),
            zone: berlin(),
            bases,
            flyers: &[],
            just_marked: None,
            problem: None,
        }
    }

    #[test]
    fn the_checkin_list_prints_two_columns_with_boxes() {
        let bases = [
            CheckinRow {
                id: "r1".into(),
                name: "Ana <x>".into(),
                role: RoleChoice::Base,
                attendance: None,
                actions: None,
            },
            CheckinRow {
                id: "r2".into(),
                name: "Cy".into(),
                role: RoleChoice::Either,
                attendance: None,
                actions: None,
            },
        ];
        let html = checkin_list(&page(), &checkin_view(&bases, Some("2026-12-01T18:00:00Z")))
            .into_string();
        assert!(html.contains("Park &lt;jam&gt;") && html.contains("Ana &lt;x&gt;"));
        assert!(html.contains("Bases (2)") && html.contains("Flyers (0)"));
        assert!(html.contains("sm:grid-cols-2 print:grid-cols-2"));
        assert_eq!(
            html.matches(r#"<span class="size-5 shrink-0 rounded-sm border-2 border-current" aria-hidden="true"></span>"#)
                .count(),
            2
        );
        assert!(html.contains("Cy <span class=\"text-sm\">(either)</span>"));
        assert!(!html.contains("(base)"));
        assert!(html.contains(
            r#"<button type="button" data-print hidden class="btn btn-sm print:hidden">"#
        ));
        assert!(html.contains("print:hidden"), "the banner is not printed");
        // Before the start: when ticking opens, no attendance forms, a way back.
        assert!(html.contains("You can tick people in here from 19:00 on Tue 1 Dec 2026"));
        assert_eq!(post_actions(&html), ["/preferences/theme"]);
        assert!(html.contains(r#"<a href="/jams/s1/sessions/d1/registrations" class="link"#));
        assert!(html.contains("Back to registrations</a>"));
    }

    #[test]
    fn once_started_each_person_is_one_wide_button_to_tick_them_in() {
        let actions = |id: &str| CheckinActions {
            attended: format!("/a/{id}/attendance?mark=attended&back=checkin"),
            no_show: format!("/a/{id}/attendance?mark=no_show&back=checkin"),
            clear: format!("/a/{id}/attendance?mark=clear&back=checkin"),
        };
        let bases = [
            CheckinRow {
                id: "r1".into(),
                name: "Ana <x>".into(),
                role: RoleChoice::Base,
                attendance: None,
                actions: Some(actions("r1")),
            },
            CheckinRow {
                id: "r2".into(),
                name: "Bo".into(),
                role: RoleChoice::Base,
                attendance: Some(Attendance::Attended),
                actions: Some(actions("r2")),
            },
            CheckinRow {
                id: "r3".into(),
                name: "Cy".into(),
                role: RoleChoice::Base,
                attendance: Some(Attendance::NoShow),
                actions: Some(actions("r3")),
            },
        ];
        let view = CheckinView {
            just_marked: Some("r2"),
            ..checkin_view(&bases, None)
        };
        let html = checkin_list(&page(), &view).into_string();
        assert!(!html.contains("You can tick people in"));
        assert_eq!(
            post_actions(&html),
            [
                "/preferences/theme",
                "/a/r1/attendance?mark=attended&amp;back=checkin",
                "/a/r1/attendance?mark=no_show&amp;back=checkin",
                "/a/r2/attendance?mark=clear&amp;back=checkin",
                "/a/r2/attendance?mark=no_show&amp;back=checkin",
                "/a/r3/attendance?mark=attended&amp;back=checkin",
                "/a/r3/attendance?mark=clear&amp;back=checkin",
            ]
        );
        // Accessible names carry the person: "Mark Ana attended", "Undo: Bo attended".
        assert!(html.contains(
            r#"<span class="sr-only">Mark </span>Ana &lt;x&gt;<span class="sr-only"> attended</span>"#
        ));
        assert!(html.contains(
            r#"<span class="sr-only">Undo: </span>Bo <span class="text-sm">attended</span>"#
        ));
        assert!(html.contains(r#"<span class="sr-only">Mark Ana &lt;x&gt; </span>No-show"#));
        assert!(html.contains(r#"Clear<span class="sr-only"> no-show for Cy</span>"#));
        assert!(html.contains("min-h-12 w-full"), "wide, tall targets");
        assert!(html.contains(r#"<li id="p-r2""#), "rows are anchored");
        assert!(html.contains("Bases (3)") && html.contains(" · 1 here"));
        assert_eq!(html.matches(">Saved</span>").count(), 1);
    }
}
