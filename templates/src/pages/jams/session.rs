//! One session as its organizers see it: when and where, the counts (over capacity made
//! plain), the links to share, and the edit and cancel forms.

use jamie::jams::sessions::SessionStatus;
use maud::{Markup, html};

use super::fields::{capacity_fields, cost_fields, required_input, time_fields};
use super::{
    RoleCount, SessionLinks, back_link, detail, place, registrations_summary, share_box,
    status_badge,
};
use crate::{
    Page, Script,
    components::{
        Field, FormState, Tone, alert, field, note, required_marker, rich_text, textarea,
    },
    icons,
    layout::{csrf_field, layout},
};

/// One session, as its organizers see it.
#[derive(Clone, Debug)]
pub struct SessionView<'a> {
    pub series_name: &'a str,
    pub series_href: &'a str,
    /// e.g. "Tomorrow, 19:00–21:00".
    pub when: &'a str,
    pub links: &'a SessionLinks,
    pub date: &'a str,
    pub time: &'a str,
    pub time_zone: &'a str,
    pub status: SessionStatus,
    pub cancel_reason: Option<&'a str>,
    pub base: RoleCount,
    pub flyer: RoleCount,
    pub waitlist: u32,
    pub cost: &'a str,
    pub venue: &'a str,
    pub address: &'a str,
    pub maps_url: &'a str,
    pub note: &'a str,
    pub can_edit: bool,
    pub can_complete: bool,
    pub edit_action: &'a str,
    pub cancel_action: &'a str,
    pub complete_action: &'a str,
    pub form: &'a FormState,
    pub cancel_form: &'a FormState,
    pub notice: Option<&'a str>,
    pub problem: Option<&'a str>,
}

/// A role's count for the session summary: "3/2 · 1 over" inline when over capacity.
fn role_summary(role: &str, count: RoleCount) -> Markup {
    let over = count.over();
    html! {
        div class="flex flex-col" {
            div class="text-sm text-base-content/70" { (role) }
            div class="text-2xl font-bold tabular-nums" {
                (count.confirmed) "/" (count.capacity)
                @if over > 0 {
                    span class="text-base font-semibold inline-flex items-center gap-1 ms-1" {
                        (icons::exclamation_triangle("size-4 shrink-0 text-error")) "· " (over) " over"
                    }
                }
            }
            @if over > 0 {
                div class="text-xs text-base-content/70" { "Nobody was removed." }
            }
        }
    }
}

pub fn session_page(page: &Page<'_>, view: &SessionView<'_>) -> Markup {
    let editable = view.can_edit && view.status == SessionStatus::Scheduled;
    layout(
        &page.clone().script(Script::Organizer),
        html! {
            article class="max-w-2xl mx-auto flex flex-col gap-6" aria-labelledby="session-title" {
                (back_link(view.series_href, view.series_name))
                @if let Some(notice) = view.notice { (alert(Tone::Success, notice)) }
                @if let Some(problem) = view.problem { (alert(Tone::Error, problem)) }
                header class="flex flex-col gap-2" {
                    h1 id="session-title" class={ "text-3xl font-bold" @if view.status == SessionStatus::Cancelled { " line-through" } } {
                        (view.when)
                    }
                    div class="flex flex-wrap items-center gap-2" {
                        span { (view.date) " · " (view.time) }
                        span class="text-base-content/70" { (view.time_zone) }
                        (status_badge(view.status))
                    }
                    @if let Some(reason) = view.cancel_reason {
                        div class="alert alert-error" {
                            (icons::x_mark("size-5 shrink-0"))
                            span class="break-words min-w-0" { strong { "Cancelled: " } (reason) }
                        }
                    }
                }
                section class="card bg-base-200" aria-labelledby="share-title" {
                    div class="card-body gap-3" {
                        h2 id="share-title" class="card-title" { "Share" }
                        (share_box("share-link", "Link to share", &view.links.share_url))
                        a href=(view.links.public) class="btn btn-sm self-start" { "Public page" }
                    }
                }
                section class="card bg-base-200" aria-labelledby="summary-title" {
                    div class="card-body gap-3" {
                        h2 id="summary-title" class="card-title" { "Registrations" }
                        div class="grid gap-x-6 gap-y-3 sm:grid-cols-3" {
                            (role_summary("Bases", view.base))
                            (role_summary("Flyers", view.flyer))
                            div class="flex flex-col" {
                                div class="text-sm text-base-content/70" { "Waitlist" }
                                div class="text-2xl font-bold tabular-nums" { (view.waitlist) }
                            }
                        }
                        div class="grid grid-cols-2 sm:flex sm:flex-wrap gap-2" {
                            a href=(view.links.registrations) class="btn btn-sm btn-primary col-span-2" {
                                (icons::users("size-4")) "Registrations"
                                span class="font-normal" {
                                    " · " (registrations_summary(view.base.confirmed + view.flyer.confirmed, view.waitlist))
                                }
                            }
                            a href=(view.links.checkin) class="btn btn-sm" { (icons::check_circle("size-4")) "Check-in list" }
                            a href=(view.links.csv) class="btn btn-sm" { (icons::arrow_down_tray("size-4")) "Export CSV" }
                            @if editable {
                                a href=(view.links.add) class="btn btn-sm col-span-2 sm:col-span-1" { (icons::plus("size-4")) "Add someone" }
                            }
                        }
                        dl class="flex flex-col gap-3 text-sm" {
                            (detail(icons::banknotes("size-5"), "Price", html! { (view.cost) }))
                            (detail(icons::map_pin("size-5"), "Place", place(view.venue, view.address, view.maps_url)))
                            @if !view.note.trim().is_empty() {
                                (detail(icons::information_circle("size-5"), "Note", rich_text(view.note)))
                            }
                        }
                    }
                }
                @if editable {
                    (session_edit_form(page, view))
                    (session_cancel_form(page, view))
                    @if view.can_complete {
                        section class="card bg-base-200" aria-labelledby="complete-title" {
                            div class="card-body gap-2" {
                                h2 id="complete-title" class="card-title" { "Done?" }
                                p class="text-sm text-base-content/80" { "Mark the session completed once the jam is over." }
                                form method="post" action=(view.complete_action) {
                                    (csrf_field(page.csrf))
                                    button type="submit" class="btn btn-neutral" { (icons::check_circle("size-4")) "Mark completed" }
                                }
                            }
                        }
                    }
                }
            }
        },
    )
}

fn session_edit_form(page: &Page<'_>, view: &SessionView<'_>) -> Markup {
    let form = view.form;
    html! {
        section class="card bg-base-200" aria-labelledby="edit-title" {
            form method="post" action=(view.edit_action) class="card-body gap-1" novalidate {
                h2 id="edit-title" class="card-title" { "Change this session" }
                p class="text-sm text-base-content/80" { "Times are in " (view.time_zone) "." }
                (csrf_field(page.csrf))
                (required_input("Date", "date", "date", form, None))
                (time_fields(form))
                (capacity_fields(form))
                (cost_fields(form, &[
                    ("default", "Series default"),
                    ("free", "Free"),
                    ("donation", "Donation"),
                    ("amount", "Set amount"),
                ]))
                (field(Field { max_length: 200, ..Field::from_state("Venue", "venue", form) }))
                (field(Field {
                    max_length: 300,
                    hint: Some("Leave empty to use the series' place."),
                    ..Field::from_state("Address", "address", form)
                }))
                (textarea("Note", "note", form, None, 500))
                div class="card-actions justify-end mt-2" {
                    button type="submit" class="btn btn-primary" { "Save changes" }
                }
            }
        }
    }
}

/// Cancelling, behind a `<details>` (open again after a failed submit): the consequence spelled
/// out, the reason, then the real button.
fn session_cancel_form(page: &Page<'_>, view: &SessionView<'_>) -> Markup {
    let error = view.cancel_form.error("reason");
    let registered = view.base.confirmed + view.flyer.confirmed + view.waitlist;
    html! {
        details id="cancel" class="card border border-error scroll-mt-4" open[error.is_some()] {
            summary class="card-body cursor-pointer py-4" {
                h2 id="cancel-title" class="card-title" {
                    (icons::exclamation_triangle("size-5 shrink-0 text-error")) "Cancel this session…"
                }
            }
            form method="post" action={ (view.cancel_action) "#cancel" } class="card-body gap-1 pt-0" {
                p class="text-sm" {
                    @if registered == 0 {
                        "Nobody is registered yet. The public page will say the session is cancelled. "
                    } @else if registered == 1 {
                        "The 1 person registered gets an email with your reason. "
                    } @else {
                        "All " (registered) " people registered (confirmed and waiting) get an email with your reason. "
                    }
                    "This cannot be undone."
                }
                (csrf_field(page.csrf))
                fieldset class="fieldset" {
                    label class="fieldset-legend text-sm" for="field-reason" { "Reason" (required_marker()) }
                    // `aria-required`, not `required`: the server puts a missing reason beside the
                    // field, as every other form does, rather than a browser popup.
                    textarea id="field-reason" name="reason" rows="3" maxlength="500" aria-required="true"
                        class={ "textarea w-full" @if error.is_some() { " textarea-error" } }
                        aria-invalid=[error.map(|_| "true")]
                        aria-describedby="field-reason-note" { (view.cancel_form.value("reason")) }
                    (note("field-reason-note", error, Some("Everyone registered gets this message.")))
                }
                div class="card-actions justify-end mt-2" {
                    button type="submit" class="btn btn-error" { (icons::x_mark("size-4")) "Cancel the session" }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pages::jams::testing::*;
    use crate::test_support::{forms, state};

    fn session_view<'a>(form: &'a FormState, cancel_form: &'a FormState) -> SessionView<'a> {
        SessionView {
            series_name: "Park <jam>",
            series_href: "/jams/s1",
            when: "Tomorrow, 19:00–21:00",
            links: Box::leak(Box::new(links("d1"))),
            date: "Tue 1 Dec 2026",
            time: "19:00–21:00",
            time_zone: "Europe/Berlin",
            status: SessionStatus::Scheduled,
            cancel_reason: None,
            base: RoleCount {
                confirmed: 12,
                capacity: 10,
            },
            flyer: RoleCount {
                confirmed: 4,
                capacity: 10,
            },
            waitlist: 3,
            cost: "10 EUR",
            venue: "Gym",
            address: "Side St 2",
            maps_url: "https://maps.google.com/?q=Side",
            note: "Indoors <today>",
            can_edit: true,
            can_complete: true,
            edit_action: "/jams/s1/sessions/d1",
            cancel_action: "/jams/s1/sessions/d1/cancel",
            complete_action: "/jams/s1/sessions/d1/complete",
            form,
            cancel_form,
            notice: None,
            problem: None,
        }
    }

    #[test]
    fn the_session_page_warns_about_over_capacity_and_offers_the_forms() {
        let form = state(
            &[("cost_kind", "default"), ("venue", "Gym <2>")],
            &[("end_time", "Ends before it starts.")],
        );
        let cancel_form = state(
            &[("reason", "Rain <heavy>")],
            &[("reason", "Say why, for the registrants.")],
        );
        let html = session_page(&page(), &session_view(&form, &cancel_form)).into_string();
        // Inline, not a box breaking the row.
        assert!(html.contains(
            "12/10<span class=\"text-base font-semibold inline-flex items-center gap-1 ms-1\"><svg"
        ));
        assert!(html.contains("· 2 over</span>") && html.contains("Nobody was removed."));
        assert_eq!(html.matches(" over</span>").count(), 1, "flyers fit");
        assert!(!html.contains("alert-warning"));
        // Share, then the registrations and their tools, one click each.
        assert!(html.contains(
            r#"<label for="share-link" class="text-sm font-semibold">Link to share</label>"#
        ));
        assert!(html.contains(
            r#"id="share-link" type="text" readonly value="https://jamie.example/s/d1""#
        ));
        assert!(
            html.contains(r#"data-copy-target="share-link""#) && html.contains(">Copy link</span>")
        );
        assert!(html.contains(r#"<a href="/s/d1" class="btn btn-sm self-start">Public page</a>"#));
        assert!(html.contains(r#"href="/jams/s1/sessions/d1/registrations" class="btn btn-sm btn-primary col-span-2">"#));
        assert!(html.contains(
            r#"Registrations<span class="font-normal"> · 16 confirmed, 3 waiting</span>"#
        ));
        assert!(
            html.contains(r#"href="/jams/s1/sessions/d1/checkin""#)
                && html.contains("Check-in list</a>")
        );
        assert!(
            html.contains(r#"href="/jams/s1/sessions/d1/registrations.csv""#)
                && html.contains("Export CSV</a>")
        );
        assert!(
            html.contains(r#"href="/jams/s1/sessions/d1/registrations#add-someone""#)
                && html.contains("Add someone</a>")
        );
        assert!(html.contains(
            r#"<h1 id="session-title" class="text-3xl font-bold">Tomorrow, 19:00–21:00</h1>"#
        ));
        // Cancelling is behind a step that says who is told; open again after an error.
        assert!(html.contains(
            r#"<details id="cancel" class="card border border-error scroll-mt-4" open>"#
        ));
        assert!(html.contains(
            "All 19 people registered (confirmed and waiting) get an email with your reason."
        ));
        assert!(html.contains("10 EUR") && html.contains("Open in Google Maps"));
        assert!(html.contains("Indoors &lt;today&gt;") && html.contains("Park &lt;jam&gt;"));
        let actions = assert_post_forms_have_csrf(&html, None);
        for action in [
            "/jams/s1/sessions/d1",
            "/jams/s1/sessions/d1/cancel#cancel",
            "/jams/s1/sessions/d1/complete",
        ] {
            assert!(actions.iter().any(|a| a == action), "no form to {action}");
        }
        assert!(html.contains(r#"<option value="default" selected>Series default</option>"#));
        assert!(html.contains(r#"value="Gym &lt;2&gt;""#));
        assert!(
            html.contains("Leave empty to use the series&#39; place.")
                || html.contains("Leave empty to use the series' place.")
        );
        assert_error_beside(&html, "end_time", "Ends before it starts.");
        assert_error_beside(&html, "reason", "Say why, for the registrants.");
        assert!(html.contains(">Rain &lt;heavy&gt;</textarea>"));
        assert!(html.contains("btn btn-error") && html.contains("Mark completed"));
        // The reason is required, but the server says so beside it: no browser popup.
        let reason = control(&html, "reason");
        assert!(reason.contains(r#"aria-required="true""#) && !reason.contains(" required"));
        assert!(html.contains(r#"for="field-reason">Reason<span class="text-xs font-normal text-base-content/70" aria-hidden="true">required</span></label>"#));
        let cancel = forms(&html)
            .into_iter()
            .find(|form| form.contains("/cancel"))
            .unwrap();
        assert!(!cancel.contains(" required"));
        for name in ["date", "start_time", "end_time"] {
            assert!(required(&html, name), "{name} not required");
        }
        assert!(!required(&html, "venue") && !required(&html, "address"));
        assert!(html.contains(r#"name="venue" type="text" value="Gym &lt;2&gt;" class="input w-full" autocomplete="off" maxlength="200""#));
    }

    #[test]
    fn a_cancelled_session_shows_its_reason_and_no_forms() {
        let form = FormState::default();
        let view = SessionView {
            status: SessionStatus::Cancelled,
            cancel_reason: Some("Venue <closed>"),
            ..session_view(&form, &form)
        };
        let html = session_page(&page(), &view).into_string();
        assert!(html.contains("Venue &lt;closed&gt;") && html.contains("Cancelled"));
        assert!(html.contains(r#"<div class="alert alert-error"><svg"#));
        assert!(!html.contains("alert-soft"));
        assert!(!html.contains("/jams/s1/sessions/d1/cancel") && !html.contains("Mark completed"));
    }
}
