//! A participant's own registrations ("My registrations"): upcoming ones with a cancel
//! button each and past ones with their attendance.

use jamie::{
    bookings::{Attendance, RegistrationStatus},
    values::{Role, RoleChoice},
};
use maud::{Markup, html};

use crate::{
    Page,
    components::{Tone, alert, role_line},
    icons,
    layout::{csrf_field, layout},
};

/// A registration's status as a solid badge, for the participant's own registrations.
fn solid_registration_badge(status: RegistrationStatus) -> Markup {
    let (class, label) = match status {
        RegistrationStatus::Confirmed => ("badge badge-success", "Confirmed"),
        RegistrationStatus::Waitlisted => ("badge badge-warning", "Waitlisted"),
        RegistrationStatus::Cancelled => ("badge badge-neutral", "Cancelled"),
    };
    html! { span class={ (class) " whitespace-nowrap" } { (label) } }
}

/// "Attended" or "No-show" as a small solid badge, for the participant's own registrations.
fn solid_attendance_badge(attendance: Attendance) -> Markup {
    let (class, label) = match attendance {
        Attendance::Attended => ("badge badge-success", "Attended"),
        Attendance::NoShow => ("badge badge-error", "No-show"),
    };
    html! { span class={ (class) " badge-sm whitespace-nowrap" } { (label) } }
}

/// One of a participant's registrations on their "my registrations" page.
#[derive(Clone, Debug)]
pub struct MyRegistrationRow {
    pub series_name: String,
    /// The public session page, `/s/{id}`.
    pub session_href: String,
    pub date: String,
    pub time: String,
    pub time_zone: String,
    pub status: RegistrationStatus,
    pub requested: RoleChoice,
    /// The role held once confirmed.
    pub role: Option<Role>,
    /// "Cancelled by the organizers" / "Completed" when the session is not simply scheduled.
    pub session_state: Option<String>,
    /// POST action that cancels it (None when it cannot be cancelled any more).
    pub cancel_action: Option<String>,
    /// Once marked (past ones).
    pub attendance: Option<Attendance>,
}

/// A participant's registrations, made with one account address.
#[derive(Clone, Debug)]
pub struct MyRegistrationsView<'a> {
    /// The account address the list is for.
    pub email: &'a str,
    pub upcoming: &'a [MyRegistrationRow],
    pub past: &'a [MyRegistrationRow],
    /// e.g. "Your registration is cancelled."
    pub notice: Option<&'a str>,
}

/// A participant's registration as a card; `cancellable` offers its cancel form (upcoming
/// ones only).
fn my_registration(page: &Page<'_>, row: &MyRegistrationRow, cancellable: bool) -> Markup {
    html! {
        li class="card card-sm bg-base-200" {
            div class="card-body gap-2" {
                h3 class="text-lg font-semibold break-words" {
                    a href=(row.session_href) class="link" { (row.series_name) }
                }
                p class="flex flex-wrap items-center gap-x-2 gap-y-1" {
                    (icons::calendar_days("size-5 shrink-0 text-primary"))
                    span class="font-semibold" { (row.date) }
                    span class="tabular-nums whitespace-nowrap" { (row.time) }
                    @if !row.time_zone.is_empty() {
                        span class="text-sm text-base-content/70" { "(" (row.time_zone) ")" }
                    }
                }
                div class="flex flex-wrap items-center gap-2" {
                    (solid_registration_badge(row.status))
                    @if let Some(attendance) = row.attendance { (solid_attendance_badge(attendance)) }
                    (role_line(row.status, row.requested, row.role))
                }
                @if let Some(state) = &row.session_state {
                    p class="flex items-start gap-2 text-sm font-semibold" {
                        (icons::information_circle("size-5 shrink-0"))
                        span class="min-w-0 break-words" { (state) }
                    }
                }
                @if let Some(action) = row.cancel_action.as_deref().filter(|_| cancellable) {
                    form method="post" action=(action) class="card-actions mt-1" {
                        (csrf_field(page.csrf))
                        button type="submit" class="btn btn-sm btn-error" {
                            (icons::x_mark("size-4")) "Cancel my place"
                            span class="sr-only" { " — " (row.series_name) ", " (row.date) }
                        }
                    }
                }
            }
        }
    }
}

/// A heading and its registrations, or `empty` when there are none.
fn my_registration_list(
    page: &Page<'_>,
    id: &str,
    title: &str,
    rows: &[MyRegistrationRow],
    cancellable: bool,
    empty: Markup,
) -> Markup {
    html! {
        section class="flex flex-col gap-3" aria-labelledby=(id) {
            h2 id=(id) class="text-2xl font-bold" { (title) }
            @if rows.is_empty() {
                p class="card bg-base-200 card-body" { (empty) }
            } @else {
                ul class="flex flex-col gap-3" {
                    @for row in rows { (my_registration(page, row, cancellable)) }
                }
            }
        }
    }
}

/// A participant's registrations: upcoming ones (each cancellable while it can be) and past
/// ones (with their attendance).
pub fn my_registrations(page: &Page<'_>, view: &MyRegistrationsView<'_>) -> Markup {
    layout(
        page,
        html! {
            section class="max-w-2xl mx-auto flex flex-col gap-6" aria-labelledby="my-registrations-title" {
                @if let Some(notice) = view.notice { (alert(Tone::Success, notice)) }
                header class="flex flex-col gap-2" {
                    h1 id="my-registrations-title" class="text-3xl font-bold" { "My registrations" }
                    p class="break-words" {
                        "These are the registrations made with "
                        strong class="break-words" { (view.email) } "."
                    }
                }
                (my_registration_list(page, "upcoming-title", "Upcoming", view.upcoming, true,
                    html! { "No upcoming registrations. " a href="/series" class="link link-primary" { "Find a jam" } "." }))
                (my_registration_list(page, "past-title", "Past", view.past, false,
                    html! { "No past registrations." }))
            }
        },
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::test_support::{page, post_actions};

    fn my_row(
        series_name: &str,
        date: &str,
        status: RegistrationStatus,
        requested: RoleChoice,
        role: Option<Role>,
    ) -> MyRegistrationRow {
        MyRegistrationRow {
            series_name: series_name.into(),
            session_href: format!("/s/{date}"),
            date: date.into(),
            time: "19:00–21:00".into(),
            time_zone: "Europe/Berlin".into(),
            status,
            requested,
            role,
            session_state: None,
            cancel_action: None,
            attendance: None,
        }
    }

    #[test]
    fn my_registrations_lists_upcoming_and_past_with_a_cancel_button_each() {
        let upcoming = [
            MyRegistrationRow {
                cancel_action: Some("/me/registrations/r1/cancel".into()),
                ..my_row(
                    "Park <script>",
                    "d1",
                    RegistrationStatus::Confirmed,
                    RoleChoice::Base,
                    Some(Role::Base),
                )
            },
            MyRegistrationRow {
                cancel_action: Some("/me/registrations/r2/cancel".into()),
                ..my_row(
                    "Gym jam",
                    "d2",
                    RegistrationStatus::Waitlisted,
                    RoleChoice::Either,
                    None,
                )
            },
            MyRegistrationRow {
                session_state: Some("Cancelled by the organizers".into()),
                ..my_row(
                    "Beach jam",
                    "d3",
                    RegistrationStatus::Cancelled,
                    RoleChoice::Flyer,
                    None,
                )
            },
        ];
        let past = [
            MyRegistrationRow {
                attendance: Some(Attendance::Attended),
                session_state: Some("Completed".into()),
                // Too late to cancel, whatever the handler says.
                cancel_action: Some("/me/registrations/r4/cancel".into()),
                ..my_row(
                    "Park <script>",
                    "d0",
                    RegistrationStatus::Confirmed,
                    RoleChoice::Flyer,
                    Some(Role::Flyer),
                )
            },
            MyRegistrationRow {
                attendance: Some(Attendance::NoShow),
                ..my_row(
                    "Gym jam",
                    "d00",
                    RegistrationStatus::Confirmed,
                    RoleChoice::Base,
                    Some(Role::Base),
                )
            },
        ];
        let view = MyRegistrationsView {
            email: "ana+<x>@example.org",
            upcoming: &upcoming,
            past: &past,
            notice: Some("Your registration is cancelled."),
        };
        let html = my_registrations(&page(), &view).into_string();
        assert!(html.contains(
            r#"<h1 id="my-registrations-title" class="text-3xl font-bold">My registrations</h1>"#
        ));
        assert!(html.contains(
            r#"These are the registrations made with <strong class="break-words">ana+&lt;x&gt;@example.org</strong>."#
        ));
        assert!(html.contains("Your registration is cancelled.") && html.contains("alert-success"));
        assert!(
            html.contains(r#"<h2 id="upcoming-title" class="text-2xl font-bold">Upcoming</h2>"#)
        );
        assert!(html.contains(r#"<h2 id="past-title" class="text-2xl font-bold">Past</h2>"#));
        let (upcoming_html, past_html) = html.split_once(r#"id="past-title""#).unwrap();
        for href in ["/s/d1", "/s/d2", "/s/d3"] {
            assert!(upcoming_html.contains(&format!(r#"<a href="{href}" class="link">"#)));
        }
        assert!(past_html.contains(r#"href="/s/d0""#) && past_html.contains(r#"href="/s/d00""#));
        assert!(html.contains("Park &lt;script&gt;") && !html.contains("<script>"));
        assert!(html.contains("(Europe/Berlin)") && html.contains("19:00–21:00"));

        assert!(
            upcoming_html.contains(
                r#"<span class="badge badge-success whitespace-nowrap">Confirmed</span>"#
            )
        );
        assert!(
            upcoming_html.contains(
                r#"<span class="badge badge-warning whitespace-nowrap">Waitlisted</span>"#
            )
        );
        assert!(
            upcoming_html.contains(
                r#"<span class="badge badge-neutral whitespace-nowrap">Cancelled</span>"#
            )
        );
        assert!(
            upcoming_html.contains("Role: Base") && upcoming_html.contains("Asked for: Either")
        );
        assert!(upcoming_html.contains("Cancelled by the organizers"));
        assert!(past_html.contains("Completed"));
        assert!(past_html.contains(">Attended</span>") && past_html.contains(">No-show</span>"));

        assert_eq!(
            post_actions(&html),
            [
                "/preferences/theme",
                "/me/registrations/r1/cancel",
                "/me/registrations/r2/cancel"
            ]
        );
        assert!(html.contains(
            r#"Cancel my place<span class="sr-only"> — Park &lt;script&gt;, d1</span></button>"#
        ));
        assert!(html.contains(r#"Cancel my place<span class="sr-only"> — Gym jam, d2</span>"#));
        assert!(html.contains(r#"<button type="submit" class="btn btn-sm btn-error">"#));
        assert!(!past_html.contains("Cancel my place"), "past ones stay");
        assert!(!html.contains("No upcoming registrations") && !html.contains("No past"));
    }

    #[test]
    fn my_registrations_says_when_there_are_none() {
        let view = MyRegistrationsView {
            email: "ana@example.org",
            upcoming: &[],
            past: &[],
            notice: None,
        };
        let html = my_registrations(&page(), &view).into_string();
        assert!(
            html.contains("No upcoming registrations. Find a jam on its organizer&#39;s page.")
                || html.contains("No upcoming registrations.")
        );
        assert!(html.contains("No past registrations."));
        assert_eq!(post_actions(&html), ["/preferences/theme"]);
        assert!(!html.contains("alert-success"));
    }
}
