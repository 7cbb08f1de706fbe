//! One registration as its organizers see it (the person, where they stand, the overrides,
//! their history in the series) and the question before cancelling for someone.

use jamie::{
    bookings::{Attendance, RegistrationStatus},
    values::{Role, RoleChoice},
};
use jiff::{Timestamp, tz::TimeZone};
use maud::{Markup, html};

use super::{as_a_choice, attendance_badge, done_notice, registration_badge, waitlist_of};
use crate::{
    Page,
    components::{Tone, alert, role_line, standing},
    layout::{csrf_field, layout},
    pages::jams::back_link,
    when,
};

/// What the organizer is asked before cancelling for someone.
#[derive(Clone, Debug)]
pub struct CancelConfirmView<'a> {
    pub series_name: &'a str,
    pub date: &'a str,
    pub time: &'a str,
    /// Where "Keep their spot" (and the back link) go: the table or the registration's page.
    pub back_href: &'a str,
    pub back_label: &'a str,
    pub name: &'a str,
    pub status: RegistrationStatus,
    pub requested: RoleChoice,
    /// The role held once confirmed.
    pub role: Option<Role>,
    pub position: Option<u32>,
    /// Who would take the freed spot.
    pub next: Option<&'a str>,
    /// The POST that cancels.
    pub action: &'a str,
    /// Whether "Add them back" will be there afterwards (the session still takes registrations).
    pub can_add_back: bool,
}

/// "Cancel Ana's spot?": what cancelling does (whose turn it is next, or that they leave the
/// queue), a red "Yes, cancel their spot" and a way back. Works without JavaScript.
pub fn cancel_confirm(page: &Page<'_>, view: &CancelConfirmView<'_>) -> Markup {
    let name = view.name;
    layout(
        page,
        html! {
            section class="max-w-xl mx-auto flex flex-col gap-5" aria-labelledby="confirm-title" {
                (back_link(view.back_href, view.back_label))
                p class="break-words text-sm" {
                    span class="font-semibold" { (view.series_name) } " · " (view.date) " · "
                    span class="tabular-nums" { (view.time) }
                }
                @if view.status == RegistrationStatus::Cancelled {
                    h1 id="confirm-title" class="text-3xl font-bold break-words" { (name) "'s registration is already cancelled" }
                    p { "There is nothing to cancel. You can add them back from the registrations table." }
                    a href=(view.back_href) class="btn self-start min-h-11" { (view.back_label) }
                } @else {
                    h1 id="confirm-title" class="text-3xl font-bold break-words" {
                        @if view.status == RegistrationStatus::Confirmed { "Cancel " (name) "'s spot?" }
                        @else { "Cancel " (name) "'s place on the waitlist?" }
                    }
                    div class="card bg-base-200 card-body gap-2" {
                        @if view.status == RegistrationStatus::Confirmed {
                            p { (name) " is confirmed as " (as_a_choice(standing(view.status, view.requested, view.role))) "." }
                            @if let Some(next) = view.next {
                                p { "Their spot goes to " span class="font-semibold" { (next) } ", first in line on the waitlist. Both are told by email." }
                            } @else {
                                p { "Nobody is waiting for it, so the spot becomes free for the next person who registers. " (name) " is told by email." }
                            }
                        } @else {
                            p {
                                (name) " is "
                                @if let Some(position) = view.position { "number " (position) " on " } @else { "on " }
                                (waitlist_of(view.requested)) "."
                            }
                            p { "They leave the queue; no spot is freed and nobody else moves in. " (name) " is told by email." }
                        }
                        @if view.can_add_back {
                            p class="text-sm" { "If you change your mind, “Add them back” enters them again, confirmed only if their role still has room." }
                        }
                    }
                    form method="post" action=(view.action) class="flex flex-col-reverse gap-3 sm:flex-row sm:justify-end" {
                        (csrf_field(page.csrf))
                        a href=(view.back_href) class="btn min-h-11" { "Keep their spot" }
                        button type="submit" class="btn btn-error min-h-11" { "Yes, cancel their spot" }
                    }
                }
            }
        },
    )
}

/// One person of a batch cancel, as the confirmation lists them.
#[derive(Clone, Debug)]
pub struct BatchPerson<'a> {
    pub name: &'a str,
    pub email: &'a str,
    pub status: RegistrationStatus,
    pub requested: RoleChoice,
    pub role: Option<Role>,
}

/// What the organizer is asked before cancelling several registrations at once.
#[derive(Clone, Debug)]
pub struct BatchCancelView<'a> {
    pub series_name: &'a str,
    pub date: &'a str,
    pub time: &'a str,
    /// The registrations table ("Keep them").
    pub back_href: &'a str,
    pub people: Vec<BatchPerson<'a>>,
    /// The registrations' ids, comma-separated, sent back with the answer.
    pub ids: &'a str,
    /// The POST that cancels them.
    pub action: &'a str,
}

/// "Cancel 3 registrations?": who, whether to email them (ticked), a red button and a way
/// back. Already cancelled ones are listed as such and left alone. Works without JavaScript.
pub fn batch_cancel_confirm(page: &Page<'_>, view: &BatchCancelView<'_>) -> Markup {
    let open = view
        .people
        .iter()
        .filter(|person| person.status != RegistrationStatus::Cancelled)
        .count();
    let count = if open == 1 {
        "1 registration".to_owned()
    } else {
        format!("{open} registrations")
    };
    layout(
        page,
        html! {
            section class="max-w-xl mx-auto flex flex-col gap-5" aria-labelledby="confirm-title" {
                (back_link(view.back_href, "Back to registrations"))
                p class="break-words text-sm" {
                    span class="font-semibold" { (view.series_name) } " · " (view.date) " · "
                    span class="tabular-nums" { (view.time) }
                }
                @if open == 0 {
                    h1 id="confirm-title" class="text-3xl font-bold" { "These registrations are already cancelled" }
                    p { "There is nothing to cancel." }
                    a href=(view.back_href) class="btn self-start min-h-11" { "Back to registrations" }
                } @else {
                    h1 id="confirm-title" class="text-3xl font-bold" { "Cancel " (count) "?" }
                    ul class="card bg-base-200 card-body gap-0 divide-y divide-base-300" aria-label="Who is cancelled" {
                        @for person in &view.people {
                            li class="flex flex-col py-3 first:pt-0 last:pb-0" {
                                span class="font-semibold break-words" { (person.name) }
                                span class="text-sm break-all" { (person.email) }
                                span class="text-sm" {
                                    @match person.status {
                                        RegistrationStatus::Cancelled => "Already cancelled: left as it is",
                                        RegistrationStatus::Confirmed => { "Confirmed as " (as_a_choice(standing(person.status, person.requested, person.role))) }
                                        _ => { "On " (waitlist_of(person.requested)) }
                                    }
                                }
                            }
                        }
                    }
                    p class="text-sm" { "Each freed spot goes to the next person on the waitlist, who is told by email." }
                    form method="post" action=(view.action) class="flex flex-col gap-4" {
                        (csrf_field(page.csrf))
                        input type="hidden" name="ids" value=(view.ids);
                        label class="flex items-center gap-3 cursor-pointer min-h-11" {
                            input type="checkbox" name="notify" value="yes" checked class="checkbox";
                            span { "Email them that their spot is cancelled" }
                        }
                        div class="flex flex-col-reverse gap-3 sm:flex-row sm:justify-end" {
                            a href=(view.back_href) class="btn min-h-11" { "Keep them" }
                            button type="submit" class="btn btn-error min-h-11" { "Yes, cancel " (count) }
                        }
                    }
                }
            }
        },
    )
}

/// One organizer's override of a registration: when, by whom, from which status to which.
#[derive(Clone, Debug)]
pub struct MoveRow {
    pub at: Timestamp,
    pub by: String,
    pub from: String,
    pub to: String,
}

/// One of a person's registrations in a series.
#[derive(Clone, Debug)]
pub struct HistoryRow {
    pub starts_at: Timestamp,
    pub session_href: String,
    pub status: RegistrationStatus,
    pub requested: RoleChoice,
    /// The role held once confirmed.
    pub role: Option<Role>,
    pub attendance: Option<Attendance>,
    /// The registration the page is about.
    pub current: bool,
}

/// One registration, as its organizers see it.
#[derive(Clone, Debug)]
pub struct RegistrationDetailView<'a> {
    pub series_name: &'a str,
    /// Back to the session's registration table.
    pub table_href: &'a str,
    pub date: &'a str,
    pub time: &'a str,
    pub name: &'a str,
    pub email: &'a str,
    pub note: &'a str,
    pub status: RegistrationStatus,
    pub requested: RoleChoice,
    /// The role held once confirmed.
    pub role: Option<Role>,
    /// The waitlist position.
    pub position: Option<u32>,
    pub registered_at: Timestamp,
    /// The series' zone, which every time on the page is read in.
    pub zone: &'a TimeZone,
    pub manual: bool,
    pub attendance: Option<Attendance>,
    /// The audit trail, oldest first.
    pub moves: &'a [MoveRow],
    /// This person's registrations in this series, newest first.
    pub history: &'a [HistoryRow],
    pub attended: usize,
    pub no_shows: usize,
    pub move_actions: &'a [(String, String)],
    pub attendance_actions: &'a [(String, String)],
    /// The page that asks before cancelling for them.
    pub cancel_href: Option<&'a str>,
    /// For a cancelled registration: the POST that enters the person again.
    pub add_back_action: Option<&'a str>,
    /// Shown as an error alert at the top.
    pub problem: Option<&'a str>,
    /// What the last action did, shown as a success alert at the top.
    pub notice: Option<&'a str>,
}

/// A visible term and its value in a details list.
fn term(name: &str, value: Markup) -> Markup {
    html! {
        div class="flex flex-col gap-1 min-w-0" {
            dt class="text-sm font-semibold" { (name) }
            dd class="break-words" { (value) }
        }
    }
}

/// A small POST form with one button.
fn action_button(page: &Page<'_>, action: &str, class: &str, label: &str) -> Markup {
    html! {
        form method="post" action=(action) {
            (csrf_field(page.csrf))
            button type="submit" class=(class) { (label) }
        }
    }
}

/// The organizer's page of one registration: the person, where they stand, what can be done,
/// the overrides so far and their history in the series.
pub fn registration_detail(page: &Page<'_>, view: &RegistrationDetailView<'_>) -> Markup {
    let has_actions = !(view.move_actions.is_empty()
        && view.attendance_actions.is_empty()
        && view.cancel_href.is_none()
        && view.add_back_action.is_none());
    layout(
        page,
        html! {
            article class="max-w-3xl mx-auto flex flex-col gap-6" aria-labelledby="registration-title" {
                (back_link(view.table_href, &format!("Registrations · {} · {}", view.series_name, view.date)))
                @if let Some(notice) = view.notice { (done_notice(page, notice, None)) }
                @if let Some(problem) = view.problem { (alert(Tone::Error, problem)) }
                header class="flex flex-col gap-2" {
                    h1 id="registration-title" class="text-3xl font-bold break-words" { (view.name) }
                    p class="break-words" {
                        span class="font-semibold" { (view.series_name) } " · " (view.date) " · "
                        span class="tabular-nums whitespace-nowrap" { (view.time) }
                    }
                    div class="flex flex-wrap items-center gap-2" {
                        (registration_badge(view.status, view.position))
                        @if let Some(attendance) = view.attendance { (attendance_badge(attendance)) }
                        (role_line(view.status, view.requested, view.role))
                        @if view.manual { span class="text-sm text-base-content/70" { "Added by an organizer" } }
                    }
                }
                dl class="card bg-base-200 card-body gap-3" {
                    (term("Email", html! {
                        a href={ "mailto:" (view.email) } class="link link-primary break-all" { (view.email) }
                    }))
                    (term("Registered", html! { (when::moment(view.registered_at, view.zone)) }))
                    @if !view.note.trim().is_empty() {
                        (term("Note", html! { p class="whitespace-pre-line" { (view.note) } }))
                    }
                }
                @if has_actions {
                    section class="flex flex-col gap-3" aria-labelledby="actions-title" {
                        h2 id="actions-title" class="text-2xl font-bold" { "Actions" }
                        div class="flex flex-wrap items-center gap-2" {
                            @for (label, action) in view.attendance_actions {
                                (action_button(page, action, "btn btn-sm max-md:min-h-11", label))
                            }
                            @for (label, action) in view.move_actions {
                                (action_button(page, action, "btn btn-sm max-md:min-h-11", label))
                            }
                            @if let Some(action) = view.add_back_action {
                                (action_button(page, action, "btn btn-sm max-md:min-h-11", "Add them back"))
                            }
                            @if let Some(href) = view.cancel_href {
                                div class="max-md:w-full max-md:border-t max-md:border-base-300 max-md:pt-3 max-md:mt-1 md:ml-2 md:border-l md:border-base-300 md:pl-3" {
                                    a href=(href) class="btn btn-sm btn-error max-md:min-h-11" { "Cancel for them" }
                                }
                            }
                        }
                    }
                }
                section class="flex flex-col gap-3" aria-labelledby="overrides-title" {
                    h2 id="overrides-title" class="text-2xl font-bold" { "Overrides" }
                    @if view.moves.is_empty() {
                        p { "No overrides." }
                    } @else {
                        ol class="flex flex-col gap-1" {
                            @for row in view.moves {
                                li class="break-words" {
                                    span class="tabular-nums" { (when::moment(row.at, view.zone)) } " · " (row.by) ": "
                                    (row.from) " → " (row.to)
                                }
                            }
                        }
                    }
                }
                section class="flex flex-col gap-3" aria-labelledby="history-title" {
                    h2 id="history-title" class="text-2xl font-bold" { "History in this series" }
                    p { (view.attended) " attended · " (view.no_shows) " no-show" }
                    @if view.history.is_empty() {
                        p { "No registrations in this series yet." }
                    } @else {
                        ul class="flex flex-col gap-2" {
                            @for row in view.history {
                                li class={ "card card-sm " @if row.current { "bg-base-300" } @else { "bg-base-200" } }
                                    aria-current=[row.current.then_some("true")] {
                                    div class="card-body flex-row flex-wrap items-center gap-x-3 gap-y-1" {
                                        a href=(row.session_href) class="link font-semibold" { (when::date(when::local(row.starts_at, view.zone).date())) }
                                        (registration_badge(row.status, None))
                                        @if let Some(attendance) = row.attendance { (attendance_badge(attendance)) }
                                        (role_line(row.status, row.requested, row.role))
                                        @if row.current {
                                            span class="text-sm font-semibold whitespace-nowrap" { "This registration" }
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

    use crate::test_support::{berlin, page, post_actions};

    fn detail_view<'a>(
        moves: &'a [MoveRow],
        history: &'a [HistoryRow],
        move_actions: &'a [(String, String)],
        attendance_actions: &'a [(String, String)],
    ) -> RegistrationDetailView<'a> {
        RegistrationDetailView {
            series_name: "Park <jam>",
            table_href: "/jams/s1/sessions/d1/registrations",
            date: "Tue 1 Dec 2026",
            time: "19:00–21:00",
            name: "Ana <script>",
            email: "ana@example.org",
            note: "first <jam>\nbe gentle",
            status: RegistrationStatus::Waitlisted,
            requested: RoleChoice::Either,
            role: None,
            position: Some(2),
            registered_at: "2026-11-01T09:00:00Z".parse().unwrap(),
            zone: berlin(),
            manual: true,
            attendance: None,
            moves,
            history,
            attended: 3,
            no_shows: 1,
            move_actions,
            attendance_actions,
            cancel_href: Some("/jams/s1/sessions/d1/registrations/r1/cancel?back=detail"),
            add_back_action: None,
            problem: None,
            notice: None,
        }
    }

    #[test]
    fn the_registration_page_shows_the_person_actions_overrides_and_history() {
        let moves = [
            MoveRow {
                at: "2026-11-02T08:00:00Z".parse().unwrap(),
                by: "Bo <b>".into(),
                from: "Waitlisted".into(),
                to: "Confirmed as base".into(),
            },
            MoveRow {
                at: "2026-11-03T17:30:00Z".parse().unwrap(),
                by: "Cy".into(),
                from: "Confirmed as base".into(),
                to: "Waitlisted".into(),
            },
        ];
        let history = [
            HistoryRow {
                starts_at: "2026-12-08T18:00:00Z".parse().unwrap(),
                session_href: "/jams/s1/sessions/d2".into(),
                status: RegistrationStatus::Confirmed,
                requested: RoleChoice::Flyer,
                role: Some(Role::Flyer),
                attendance: None,
                current: false,
            },
            HistoryRow {
                starts_at: "2026-12-01T18:00:00Z".parse().unwrap(),
                session_href: "/jams/s1/sessions/d1".into(),
                status: RegistrationStatus::Waitlisted,
                requested: RoleChoice::Either,
                role: None,
                attendance: None,
                current: true,
            },
            HistoryRow {
                starts_at: "2026-11-24T18:00:00Z".parse().unwrap(),
                session_href: "/jams/s1/sessions/d0".into(),
                status: RegistrationStatus::Confirmed,
                requested: RoleChoice::Base,
                role: Some(Role::Base),
                attendance: Some(Attendance::NoShow),
                current: false,
            },
        ];
        let move_actions = [(
            "Confirm as base".to_owned(),
            "/jams/s1/sessions/d1/registrations/r1/move?to=base".to_owned(),
        )];
        let view = RegistrationDetailView {
            problem: Some("Bases are full."),
            notice: Some("Moved; they are told by email."),
            ..detail_view(&moves, &history, &move_actions, &[])
        };
        let html = registration_detail(&page(), &view).into_string();
        assert!(html.contains("Bases are full.") && html.contains(r#"role="alert""#));
        assert!(html.contains("alert-success") && html.contains("Moved; they are told by email."));
        assert!(html.contains(r#"<a href="/jams/s1/sessions/d1/registrations" class="link"#));
        assert!(html.contains("Registrations · Park &lt;jam&gt; · Tue 1 Dec 2026</a>"));
        assert!(html.contains(
            r#"<h1 id="registration-title" class="text-3xl font-bold break-words">Ana &lt;script&gt;</h1>"#
        ));
        assert!(!html.contains("<script>") && !html.contains("<jam>") && !html.contains("<b>"));
        assert!(html.contains(
            r#"<a href="mailto:ana@example.org" class="link link-primary break-all">ana@example.org</a>"#
        ));
        assert!(html.contains("first &lt;jam&gt;\nbe gentle"));
        assert!(html.contains("Sun 1 Nov 2026, 10:00"));
        assert!(html.contains(
            r#"<span class="badge badge-sm gap-1.5 whitespace-nowrap border-base-300 bg-base-100 font-normal"><span class="size-2 shrink-0 rounded-full bg-warning" aria-hidden="true"></span>Waitlisted #2</span>"#
        ));
        assert!(html.contains("Asked for: Either"));
        assert!(html.contains(
            r#"<span class="text-sm text-base-content/70">Added by an organizer</span>"#
        ));

        // Cancelling is a link to its confirmation: nothing is cancelled on one click.
        assert_eq!(
            post_actions(&html),
            [
                "/preferences/theme",
                "/jams/s1/sessions/d1/registrations/r1/move?to=base",
            ]
        );
        assert!(html.contains(
            r#"<button type="submit" class="btn btn-sm max-md:min-h-11">Confirm as base</button>"#
        ));
        assert!(html.contains(
            r#"<a href="/jams/s1/sessions/d1/registrations/r1/cancel?back=detail" class="btn btn-sm btn-error max-md:min-h-11">Cancel for them</a>"#
        ));

        assert!(
            html.contains(r#"<h2 id="overrides-title" class="text-2xl font-bold">Overrides</h2>"#)
        );
        assert!(html.contains(
            r#"<span class="tabular-nums">Mon 2 Nov 2026, 09:00</span> · Bo &lt;b&gt;: Waitlisted → Confirmed as base"#
        ));
        assert!(html.contains("Tue 3 Nov 2026, 18:30</span> · Cy: Confirmed as base → Waitlisted"));
        let first = html.find("Mon 2 Nov 2026, 09:00").unwrap();
        assert!(
            first < html.find("Tue 3 Nov 2026, 18:30").unwrap(),
            "oldest first"
        );
        assert!(!html.contains("No overrides."));

        assert!(html.contains(">History in this series</h2>"));
        assert!(html.contains("3 attended · 1 no-show"));
        for href in [
            "/jams/s1/sessions/d2",
            "/jams/s1/sessions/d1",
            "/jams/s1/sessions/d0",
        ] {
            assert!(html.contains(&format!(r#"<a href="{href}" class="link font-semibold">"#)));
        }
        assert_eq!(html.matches(r#"aria-current="true""#).count(), 1);
        let current = html.split(r#"aria-current="true""#).nth(1).unwrap();
        let current = &current[..current.find("</li>").unwrap()];
        assert!(current.contains("Tue 1 Dec 2026") && current.contains("This registration"));
        assert_eq!(html.matches("This registration").count(), 1);
        assert!(html.contains(">No-show</span>") && html.contains("Role: Flyer"));
    }

    #[test]
    fn a_registration_without_overrides_or_actions_says_so() {
        let attendance = [(
            "Attended".to_owned(),
            "/jams/s1/sessions/d1/registrations/r1/attendance?mark=attended".to_owned(),
        )];
        let view = RegistrationDetailView {
            status: RegistrationStatus::Confirmed,
            requested: RoleChoice::Base,
            role: Some(Role::Base),
            position: None,
            manual: false,
            note: " ",
            attendance: Some(Attendance::NoShow),
            cancel_href: None,
            attended: 0,
            no_shows: 0,
            ..detail_view(&[], &[], &[], &attendance)
        };
        let html = registration_detail(&page(), &view).into_string();
        assert!(html.contains("No overrides."));
        assert!(html.contains("0 attended · 0 no-show"));
        assert!(html.contains("No registrations in this series yet."));
        assert!(
            html.contains(
                r#"<span class="badge badge-sm gap-1.5 whitespace-nowrap border-base-300 bg-base-100 font-normal"><span class="size-2 shrink-0 rounded-full bg-success" aria-hidden="true"></span>Confirmed</span>"#
            )
        );
        assert!(html.contains(
            r#"<span class="badge badge-sm gap-1.5 whitespace-nowrap border-base-300 bg-base-100 font-normal"><span class="size-2 shrink-0 rounded-full bg-error" aria-hidden="true"></span>No-show</span>"#
        ));
        assert!(html.contains("Role: Base"));
        assert!(!html.contains("Added by an organizer") && !html.contains(">Note<"));
        assert_eq!(
            post_actions(&html),
            [
                "/preferences/theme",
                "/jams/s1/sessions/d1/registrations/r1/attendance?mark=attended"
            ]
        );
        assert!(!html.contains("Cancel for them"));

        let html = registration_detail(
            &page(),
            &RegistrationDetailView {
                attendance: None,
                ..detail_view(&[], &[], &[], &[])
            },
        )
        .into_string();
        assert!(html.contains(">Actions</h2>"), "cancel is still there");
        let html = registration_detail(
            &page(),
            &RegistrationDetailView {
                cancel_href: None,
                ..detail_view(&[], &[], &[], &[])
            },
        )
        .into_string();
        assert!(!html.contains(">Actions</h2>"), "no empty section");
        assert!(!html.contains("alert-error"));
    }

    #[test]
    fn cancelling_for_someone_asks_first_and_says_what_happens() {
        let view = CancelConfirmView {
            series_name: "Park <jam>",
            date: "Tue 1 Dec 2026",
            time: "19:00–21:00",
            back_href: "/jams/s1/sessions/d1/registrations#r-r1",
            back_label: "Back to registrations",
            name: "Ana <x>",
            status: RegistrationStatus::Confirmed,
            requested: RoleChoice::Base,
            role: Some(Role::Base),
            position: None,
            next: Some("Bo"),
            action: "/jams/s1/sessions/d1/registrations/r1/cancel",
            can_add_back: true,
        };
        let html = cancel_confirm(&page(), &view).into_string();
        assert!(
            html.contains("Cancel Ana &lt;x&gt;&#39;s spot?")
                || html.contains("Cancel Ana &lt;x&gt;'s spot?"),
            "{html}"
        );
        assert!(html.contains("is confirmed as a base."));
        assert!(html.contains(r#"Their spot goes to <span class="font-semibold">Bo</span>"#));
        assert_eq!(
            post_actions(&html),
            [
                "/preferences/theme",
                "/jams/s1/sessions/d1/registrations/r1/cancel"
            ]
        );
        assert!(html.contains(r#"<button type="submit" class="btn btn-error min-h-11">Yes, cancel their spot</button>"#));
        assert!(html.contains(r#"<a href="/jams/s1/sessions/d1/registrations#r-r1" class="btn min-h-11">Keep their spot</a>"#));
        assert!(html.contains("Add them back"));

        let nobody = CancelConfirmView {
            next: None,
            can_add_back: false,
            ..view.clone()
        };
        let html = cancel_confirm(&page(), &nobody).into_string();
        assert!(html.contains("Nobody is waiting for it"));
        assert!(!html.contains("Add them back"));

        let waiting = CancelConfirmView {
            status: RegistrationStatus::Waitlisted,
            requested: RoleChoice::Flyer,
            role: None,
            position: Some(2),
            next: None,
            ..view.clone()
        };
        let html = cancel_confirm(&page(), &waiting).into_string();
        assert!(html.contains("place on the waitlist?"));
        assert!(
            html.contains("is number 2 on the flyers&#39;")
                || html.contains("is number 2 on the flyers'")
        );
        assert!(html.contains("no spot is freed"));
        assert!(!html.contains("Their spot goes to"));

        let gone = CancelConfirmView {
            status: RegistrationStatus::Cancelled,
            ..view
        };
        let html = cancel_confirm(&page(), &gone).into_string();
        assert!(html.contains("already cancelled"));
        assert!(!html.contains("Yes, cancel their spot"));
    }
}
