//! The series page as its organizers see it: details, the sessions list, the organizers,
//! the co-organizer invites and, for the owner, the danger zone.

use jamie::jams::{series::Visibility, sessions::SessionStatus};
use maud::{Markup, html};

use super::{
    RoleCount, SessionLinks, changed_tag, counts_line, detail, place, role_tag, session_actions,
    share_box, status_badge, visibility_badge,
};
use crate::{
    Page, Script,
    components::{Field, FormState, Tone, alert, field, note, rich_text},
    icons,
    layout::{csrf_field, layout},
};

/// One session in a series' list.
#[derive(Clone, Debug)]
pub struct SessionRow {
    pub href: String,
    /// e.g. "Tomorrow, 19:00–21:00" (relative to now, in the series' zone).
    pub when: String,
    pub links: SessionLinks,
    /// e.g. "Tue 1 Dec 2026".
    pub date: String,
    /// e.g. "19:00–21:00".
    pub time: String,
    pub status: SessionStatus,
    pub base: RoleCount,
    pub flyer: RoleCount,
    pub waitlist: u32,
    /// The session differs from the series (place, price or capacity).
    pub overridden: bool,
    pub note: String,
    /// Why a cancelled session was cancelled.
    pub cancel_reason: Option<String>,
}

/// One organizer of a series.
#[derive(Clone, Debug, Default)]
pub struct OrganizerRow {
    pub name: String,
    pub email: String,
    pub owner: bool,
    pub is_viewer: bool,
    /// Where the owner posts to remove this co-organizer.
    pub remove_action: Option<String>,
}

/// A co-organizer invite not yet accepted.
#[derive(Clone, Debug, Default)]
pub struct InviteRow {
    pub email: String,
    pub expires: String,
    pub link: String,
    pub revoke_action: String,
}

/// The series page.
#[derive(Clone, Debug)]
pub struct SeriesView<'a> {
    pub id: &'a str,
    pub name: &'a str,
    pub description: &'a str,
    pub archived: bool,
    /// The series' public page, `/series/{id}`, and its full address to share.
    pub public_href: &'a str,
    pub share_url: &'a str,
    pub visibility: Visibility,
    pub is_owner: bool,
    pub can_edit: bool,
    pub photo: Option<String>,
    pub venue: &'a str,
    pub address: &'a str,
    pub maps_url: &'a str,
    pub cost: &'a str,
    pub capacity_base: u16,
    pub capacity_flyer: u16,
    pub schedule: &'a str,
    pub time_zone: &'a str,
    pub level_notes: &'a str,
    pub upcoming: Vec<SessionRow>,
    pub past: Vec<SessionRow>,
    pub organizers: Vec<OrganizerRow>,
    pub invites: Vec<InviteRow>,
    pub invite_form: &'a FormState,
    pub new_invite_link: Option<&'a str>,
    pub notice: Option<&'a str>,
    pub problem: Option<&'a str>,
    /// Why the series was not deleted, shown beside the confirmation box.
    pub delete_problem: Option<&'a str>,
}

/// A read-only copy of `value` with a button that copies it (`jams.js`).
fn copy_box(id: &str, label: &str, value: &str) -> Markup {
    html! {
        div class="join w-full" {
            label for=(id) class="sr-only" { (label) }
            input id=(id) type="text" readonly value=(value) class="input input-sm join-item w-full font-mono";
            button type="button" data-copy-target=(id) class="btn btn-sm join-item" {
                (icons::link("size-4")) span data-copy-label { "Copy" }
            }
        }
    }
}

fn session_list(rows: &[SessionRow], can_add: bool) -> Markup {
    html! {
        ul class="flex flex-col gap-2" {
            @for row in rows {
                li class="card card-sm bg-base-200" {
                    div class="card-body gap-2" {
                        div class="flex flex-wrap items-center gap-x-3 gap-y-1" {
                            a href=(row.href) class={ "font-semibold link link-hover" @if row.status == SessionStatus::Cancelled { " line-through" } } {
                                (row.when)
                            }
                            (status_badge(row.status))
                            @if row.overridden { (changed_tag()) }
                        }
                        @if let Some(reason) = row.cancel_reason.as_deref().filter(|_| row.status == SessionStatus::Cancelled) {
                            p class="text-sm truncate" title=(reason) {
                                span class="font-semibold" { "Reason: " } (reason)
                            }
                        }
                        div class="text-sm" { (counts_line(row.base, row.flyer, row.waitlist)) }
                        @if !row.note.is_empty() {
                            p class="text-sm text-base-content/70 line-clamp-2" { (row.note) }
                        }
                        (session_actions(&row.links, &format!(", {}", row.date), row.base.confirmed + row.flyer.confirmed,
                            row.waitlist, can_add && row.status == SessionStatus::Scheduled))
                    }
                }
            }
        }
    }
}

pub fn series_page(page: &Page<'_>, view: &SeriesView<'_>) -> Markup {
    let base = format!("/jams/{}", view.id);
    layout(
        &page.clone().script(Script::Organizer),
        html! {
            article class="flex flex-col gap-6" aria-labelledby="series-title" {
                @if let Some(notice) = view.notice { (alert(Tone::Success, notice)) }
                @if let Some(problem) = view.problem { (alert(Tone::Error, problem)) }
                header class="flex flex-col sm:flex-row gap-4 sm:items-center" {
                    @if let Some(photo) = &view.photo {
                        img src=(photo) alt="" class="w-full sm:w-48 aspect-video sm:aspect-square object-cover rounded-box";
                    }
                    div class="flex flex-col gap-2 min-w-0" {
                        h1 id="series-title" class="text-3xl font-bold break-words" { (view.name) }
                        div class="flex flex-wrap gap-2" {
                            (visibility_badge(view.visibility))
                            @if view.archived { span class="badge badge-neutral" { "Archived" } }
                        }
                    }
                }
                @if view.archived {
                    div class="alert" {
                        (icons::information_circle("size-5 shrink-0"))
                        span { "Archived: hidden from participants until you restore it." }
                    }
                }
                @if view.can_edit {
                    // A grid on phones (two buttons a row, none left alone), a row from `sm` up.
                    div class="grid grid-cols-2 sm:flex sm:flex-wrap gap-2" {
                        a href={ (base) "/sessions/new" } class="btn btn-sm btn-primary" { (icons::calendar_days("size-4")) "Schedule sessions" }
                        a href={ (base) "/edit" } class="btn btn-sm" { (icons::pencil_square("size-4")) "Edit" }
                        a href={ (base) "/photo" } class="btn btn-sm" { (icons::photo("size-4")) "Photo" }
                        @if view.archived {
                            form method="post" action={ (base) "/unarchive" } class="contents" {
                                (csrf_field(page.csrf))
                                button type="submit" class="btn btn-sm" { "Restore from archive" }
                            }
                        } @else {
                            a href={ (base) "/archive" } class="btn btn-sm" { "Archive" }
                        }
                    }
                }
                @if !view.archived {
                    section class="card bg-base-200" aria-labelledby="share-title" {
                        div class="card-body gap-3" {
                            h2 id="share-title" class="card-title" { "Share the series" }
                            p class="text-sm text-base-content/80" {
                                "Its public page lists every upcoming session; people register from there."
                            }
                            (share_box("series-share-link", "Link to share this series", view.share_url))
                            a href=(view.public_href) class="btn btn-sm self-start" { "Series' public page" }
                        }
                    }
                }
                div class="grid gap-4 md:grid-cols-3" {
                    div class="md:col-span-2 flex flex-col gap-2" {
                        @if view.description.trim().is_empty() {
                            p class="text-base-content/70" { "No description yet." }
                        } @else {
                            div class="flex flex-col gap-3 break-words" { (rich_text(view.description)) }
                        }
                        @if !view.level_notes.trim().is_empty() {
                            h2 class="text-lg font-semibold mt-2" { "Level" }
                            div class="flex flex-col gap-3 break-words" { (rich_text(view.level_notes)) }
                        }
                    }
                    dl class="card bg-base-200 card-body gap-3 text-sm" {
                        (detail(icons::map_pin("size-5"), "Place", place(view.venue, view.address, view.maps_url)))
                        (detail(icons::banknotes("size-5"), "Price", html! { (view.cost) }))
                        (detail(icons::user_group("size-5"), "Capacity", html! {
                            "Bases " (view.capacity_base) " · Flyers " (view.capacity_flyer)
                        }))
                        (detail(icons::clock("size-5"), "Usual time", html! {
                            (view.schedule)
                            @if !view.time_zone.is_empty() { br; span class="text-base-content/70" { (view.time_zone) } }
                        }))
                    }
                }
                section class="flex flex-col gap-3" aria-labelledby="upcoming-title" {
                    h2 id="upcoming-title" class="text-2xl font-bold" { "Upcoming" }
                    @if view.upcoming.is_empty() {
                        div class="card bg-base-200" {
                            div class="card-body items-start" {
                                p {
                                    "No upcoming sessions."
                                    @if view.can_edit { " Schedule the next dates; each gets a page to share, where people register." }
                                }
                                @if view.can_edit {
                                    a href={ (base) "/sessions/new" } class="btn btn-primary btn-sm" {
                                        (icons::plus("size-4")) "Schedule sessions"
                                    }
                                }
                            }
                        }
                    } @else {
                        (session_list(&view.upcoming, view.can_edit))
                    }
                    @if !view.past.is_empty() {
                        details class="collapse collapse-arrow bg-base-200" {
                            summary class="collapse-title font-semibold" { "Past (" (view.past.len()) ")" }
                            div class="collapse-content" { (session_list(&view.past, false)) }
                        }
                    }
                }
                (organizers(view, &base))
                @if view.is_owner { (invites(page, view, &base)) (danger_zone(page, &base, view.delete_problem)) }
            }
        },
    )
}

fn organizers(view: &SeriesView<'_>, base: &str) -> Markup {
    html! {
        section class="flex flex-col gap-3" aria-labelledby="organizers-title" {
            h2 id="organizers-title" class="text-2xl font-bold" { "Organizers" }
            ul class="list bg-base-200 rounded-box" {
                @for organizer in &view.organizers {
                    li class="list-row items-center" {
                        div class="min-w-0 list-col-grow" {
                            div class="flex flex-wrap items-center gap-2" {
                                span class="font-semibold" { (organizer.name) }
                                (role_tag(organizer.owner))
                                @if organizer.is_viewer { span class="text-sm text-base-content/70" { "(you)" } }
                            }
                            div class="text-sm text-base-content/70 break-all" { (organizer.email) }
                        }
                        // Each leads to a page that spells out what happens and holds the real button.
                        @if let Some(action) = &organizer.remove_action {
                            a href=(action) class="btn btn-sm" {
                                "Remove" span class="sr-only" { " " (organizer.name) }
                            }
                        } @else if organizer.is_viewer && !view.is_owner {
                            a href={ (base) "/leave" } class="btn btn-sm" { "Leave this series" }
                        }
                    }
                }
            }
            @if view.is_owner && view.organizers.iter().all(|organizer| organizer.owner) {
                p class="text-sm text-base-content/80" {
                    "No co-organizers yet. "
                    a href="#invite" class="link" { "Invite someone" }
                    " to share the sessions and the registrations with you."
                }
            }
        }
    }
}

fn invites(page: &Page<'_>, view: &SeriesView<'_>, base: &str) -> Markup {
    html! {
        section id="invite" class="card bg-base-200 scroll-mt-4" aria-labelledby="invite-title" {
            div class="card-body gap-3" {
                h2 id="invite-title" class="card-title" { "Invite a co-organizer" }
                p class="text-sm text-base-content/80" {
                    "Co-organizers manage sessions and registrations; the series stays yours."
                }
                @if let Some(link) = view.new_invite_link {
                    div class="rounded-box border border-success bg-success/10 p-3 flex flex-col gap-2" role="status" {
                        p class="flex items-center gap-2" { (icons::check_circle("size-5 shrink-0 text-success")) "Invite created. Send this link to the person you invited:" }
                        (copy_box("new-invite-link", "New invite link", link))
                    }
                }
                // The fragment brings a re-rendered page (with its error) back to this form.
                form method="post" action={ (base) "/invites#invite" } novalidate class="flex flex-col" {
                    (csrf_field(page.csrf))
                    (field(Field {
                        kind: "email",
                        autocomplete: "email",
                        required: true,
                        max_length: 254,
                        hint: Some("We email them a link that works for 48 hours. Only that address can accept it: they sign in with it to join."),
                        ..Field::from_state("Their email address", "email", view.invite_form)
                    }))
                    button type="submit" class="btn btn-primary self-start mt-2" {
                        (icons::envelope("size-4")) "Create invite"
                    }
                }
                @if !view.invites.is_empty() {
                    h3 class="font-semibold mt-2" { "Pending invites" }
                    ul class="flex flex-col gap-3" {
                        @for (i, invite) in view.invites.iter().enumerate() {
                            li class="flex flex-col gap-2 rounded-box bg-base-100 p-3" {
                                div class="flex flex-wrap items-center justify-between gap-2" {
                                    div class="min-w-0" {
                                        div class="font-semibold break-all" { (invite.email) }
                                        div class="text-sm text-base-content/70" { "Expires " (invite.expires) }
                                    }
                                    a href=(invite.revoke_action) class="btn btn-sm" {
                                        "Revoke" span class="sr-only" { " the invite for " (invite.email) }
                                    }
                                }
                                (copy_box(&format!("invite-link-{i}"), &format!("Invite link for {}", invite.email), &invite.link))
                            }
                        }
                    }
                }
            }
        }
    }
}

fn danger_zone(page: &Page<'_>, base: &str, problem: Option<&str>) -> Markup {
    html! {
        section id="danger-zone" class="card border border-error scroll-mt-4" aria-labelledby="danger-title" {
            div class="card-body gap-3" {
                h2 id="danger-title" class="card-title" {
                    (icons::exclamation_triangle("size-5 shrink-0 text-error")) "Danger zone"
                }
                p class="text-sm text-base-content/80" {
                    "Deleting removes the series and all its sessions for good. "
                    "A series with registrations for future sessions cannot be deleted, only archived: "
                    "archiving hides it and keeps everyone's registrations."
                }
                form method="post" action={ (base) "/delete#danger-zone" } class="flex flex-col gap-3 items-start" {
                    (csrf_field(page.csrf))
                    label class="label whitespace-normal text-base-content" {
                        // No `required`: the server answers an unticked box with a message on the
                        // page, as every other form does, rather than a browser popup.
                        @if problem.is_some() {
                            input type="checkbox" name="confirm" value="yes" class="checkbox checkbox-error"
                                aria-invalid="true" aria-describedby="delete-note";
                        } @else {
                            input type="checkbox" name="confirm" value="yes" class="checkbox checkbox-error";
                        }
                        "I understand this deletes the series and its sessions"
                    }
                    @if let Some(problem) = problem { (note("delete-note", Some(problem), None)) }
                    button type="submit" class="btn btn-error" { (icons::trash("size-4")) "Delete series" }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pages::jams::testing::*;
    use crate::test_support::state;

    fn row(status: SessionStatus) -> SessionRow {
        SessionRow {
            href: "/jams/s1/sessions/2026-12-01".into(),
            when: "Tomorrow, 19:00–21:00".into(),
            links: links("2026-12-01"),
            date: "Tue 1 Dec 2026".into(),
            time: "19:00–21:00".into(),
            status,
            base: RoleCount {
                confirmed: 12,
                capacity: 10,
            },
            flyer: RoleCount {
                confirmed: 3,
                capacity: 10,
            },
            waitlist: 2,
            overridden: true,
            note: "Bring <snacks>".into(),
            // Shown for cancelled sessions only.
            cancel_reason: Some("Rain <heavy> all evening".into()),
        }
    }

    fn series_view<'a>(invite_form: &'a FormState) -> SeriesView<'a> {
        SeriesView {
            id: "s1",
            name: "Park <jam>",
            description: "Line one\nsee https://example.org/x.",
            archived: false,
            public_href: "/series/s1",
            share_url: "https://jamie.example/series/s1",
            visibility: Visibility::Unlisted,
            is_owner: true,
            can_edit: true,
            photo: Some("https://cdn.example/p.webp".into()),
            venue: "Volkspark",
            address: "Main St 1",
            maps_url: "https://maps.google.com/?q=Main",
            cost: "Donation",
            capacity_base: 10,
            capacity_flyer: 10,
            schedule: "Tuesdays 19:00–21:00",
            time_zone: "Europe/Berlin",
            level_notes: "All levels",
            upcoming: vec![row(SessionStatus::Scheduled), row(SessionStatus::Cancelled)],
            past: vec![row(SessionStatus::Completed)],
            organizers: vec![
                OrganizerRow {
                    name: "Ana".into(),
                    email: "ana@example.org".into(),
                    owner: true,
                    is_viewer: true,
                    remove_action: None,
                },
                OrganizerRow {
                    name: "Bo <b>".into(),
                    email: "bo@example.org".into(),
                    owner: false,
                    is_viewer: false,
                    remove_action: Some("/jams/s1/organizers/u2/remove".into()),
                },
            ],
            invites: vec![InviteRow {
                email: "cy@example.org".into(),
                expires: "8 Dec 2026".into(),
                link: "https://jamie.example/invites/abc".into(),
                revoke_action: "/jams/s1/invites/i1/revoke".into(),
            }],
            invite_form,
            new_invite_link: Some("https://jamie.example/invites/new"),
            notice: Some("Saved."),
            problem: Some("Something went wrong."),
            delete_problem: None,
        }
    }

    #[test]
    fn the_series_page_shows_details_sessions_and_owner_tools() {
        let invite_form = state(
            &[("email", "not-an-email")],
            &[("email", "Enter an email address.")],
        );
        let html = series_page(&page(), &series_view(&invite_form)).into_string();
        assert!(html.contains("Park &lt;jam&gt;") && !html.contains("<jam>"));
        assert!(html.contains(
            r#"class="badge badge-outline" title="Reachable only by its links">Unlisted<"#
        ));
        assert!(!html.contains(">Public<") && !html.contains(">Archived<"));
        assert!(!html.contains("Archived: hidden"));
        assert!(html.contains(r#"src="https://cdn.example/p.webp""#));
        assert!(html.contains("Line one<br>see <a href=\"https://example.org/x\""));
        assert!(
            html.contains(r#"href="https://maps.google.com/?q=Main""#)
                && html.contains("Open in Google Maps")
        );
        assert!(html.contains("Bases 10 · Flyers 10"));
        assert!(html.contains("Tuesdays 19:00–21:00") && html.contains("All levels"));
        assert!(html.contains(r#"href="/jams/s1/edit""#));
        assert!(html.contains(r#"href="/jams/s1/sessions/new""#));
        assert!(html.contains(r#"href="/jams/s1/photo""#));
        assert!(html.contains(r#"href="/jams/s1/sessions/2026-12-01""#));
        assert!(html.contains("Bases 12/10 · 2 over"));
        assert!(html.contains("2 waitlisted"));
        // Calm, capitalised labels in one style.
        assert!(html.contains(r#"<span class="badge badge-sm badge-outline gap-1.5 whitespace-nowrap"><span class="size-2 rounded-full bg-warning" aria-hidden="true"></span>Changed</span>"#));
        assert!(!html.contains(">changed<") && !html.contains("badge-warning"));
        // Each row: its page, its registrations (with counts), its public page and its link.
        assert!(html.contains(r#"<a href="/jams/s1/sessions/2026-12-01/registrations" class="btn btn-sm btn-primary">"#));
        assert!(html.contains(r#"Registrations<span class="sr-only">, Tue 1 Dec 2026</span><span class="font-normal"> · 15 confirmed, 2 waiting</span>"#));
        assert!(html.contains(r#"<a href="/s/2026-12-01" class="btn btn-sm">Public page<span class="sr-only">, Tue 1 Dec 2026</span></a>"#));
        assert!(html.contains(r#"data-copy-text="https://jamie.example/s/2026-12-01""#));
        assert!(html.contains(r#"href="/jams/s1/sessions/2026-12-01/checkin""#));
        assert!(html.contains(r#"href="/jams/s1/sessions/2026-12-01/registrations.csv""#));
        assert!(html.contains(r#"href="/jams/s1/sessions/2026-12-01/registrations#add-someone""#));
        // The series' own public page and its link.
        assert!(html.contains(r#"<a href="/series/s1" class="btn btn-sm self-start">"#));
        assert!(html.contains(r#"value="https://jamie.example/series/s1""#));
        // The reason of the cancelled session only, on one line with the full text on hover.
        assert_eq!(html.matches("Rain &lt;heavy&gt; all evening").count(), 2);
        assert!(html.contains(r#"<p class="text-sm truncate" title="Rain &lt;heavy&gt; all evening"><span class="font-semibold">Reason: </span>Rain &lt;heavy&gt; all evening</p>"#));
        assert!(html.contains("Bring &lt;snacks&gt;"));
        assert!(html.contains(
            r#"class="font-semibold link link-hover line-through">Tomorrow, 19:00–21:00</a>"#
        ));
        assert!(html.contains("bg-error") && html.contains("bg-base-content/50"));
        assert!(html.contains("<details") && html.contains("Past (1)"));
        assert!(
            html.contains("Bo &lt;b&gt;")
                && html.contains("Co-organizer")
                && html.contains(">Owner<")
        );
        assert!(html.contains(r#"value="https://jamie.example/invites/abc""#));
        assert!(html.contains(r#"data-copy-target="invite-link-0""#));
        assert!(
            html.contains(r#"id="new-invite-link""#)
                && html.contains(r#"value="https://jamie.example/invites/new""#)
        );
        assert!(html.contains(r#"value="not-an-email""#));
        assert_error_beside(&html, "email", "Enter an email address.");
        assert!(html.contains(
            r#"<input type="checkbox" name="confirm" value="yes" class="checkbox checkbox-error">"#
        ));
        assert!(
            html.contains(r#"<a href="/jams/s1/archive" class="btn btn-sm">Archive</a>"#)
                && !html.contains("Restore from archive")
        );
        assert!(html.contains("can only be archived") || html.contains("only archived"));
        assert!(html.contains("Saved.") && html.contains("Something went wrong."));
        let actions = assert_post_forms_have_csrf(&html, None);
        for action in ["/jams/s1/invites#invite", "/jams/s1/delete#danger-zone"] {
            assert!(actions.iter().any(|a| a == action), "no form to {action}");
        }
        // Archiving, removing and revoking ask first, on their own page.
        for confirm in [
            "/jams/s1/archive",
            "/jams/s1/organizers/u2/remove",
            "/jams/s1/invites/i1/revoke",
        ] {
            assert!(
                html.contains(&format!(r#"<a href="{confirm}""#)),
                "{confirm}"
            );
            assert!(
                !actions.iter().any(|a| a == confirm),
                "{confirm} acts at once"
            );
        }
        assert!(
            !actions.iter().any(|a| a == "/jams/s1/leave"),
            "the owner cannot leave"
        );
    }

    #[test]
    fn a_co_organizer_sees_no_owner_tools_and_can_leave() {
        let invite_form = FormState::default();
        let view = SeriesView {
            is_owner: false,
            archived: true,
            visibility: Visibility::Public,
            upcoming: vec![],
            past: vec![],
            organizers: vec![
                OrganizerRow {
                    name: "Ana".into(),
                    owner: true,
                    ..OrganizerRow::default()
                },
                OrganizerRow {
                    name: "Bo".into(),
                    is_viewer: true,
                    ..OrganizerRow::default()
                },
            ],
            new_invite_link: None,
            ..series_view(&invite_form)
        };
        let html = series_page(&page(), &view).into_string();
        let actions = assert_post_forms_have_csrf(&html, None);
        // Leaving goes through a page that asks first.
        assert!(
            html.contains(r#"<a href="/jams/s1/leave" class="btn btn-sm">Leave this series</a>"#)
        );
        assert!(actions.iter().any(|a| a == "/jams/s1/unarchive"));
        assert!(html.contains("Leave this series") && html.contains(">Archived<"));
        assert!(html.contains(r#"<span class="badge badge-success">Public</span>"#));
        assert!(!html.contains("Unlisted"));
        assert!(html.contains(">Restore from archive</button>") && !html.contains(">Archive</a>"));
        assert!(html.contains("Archived: hidden from participants until you restore it."));
        for owner_only in [
            "/jams/s1/delete",
            "/jams/s1/invites",
            "Danger zone",
            "Pending invites",
        ] {
            assert!(
                !html.contains(owner_only),
                "{owner_only} shown to a co-organizer"
            );
        }
        assert!(html.contains("No upcoming sessions."));
        assert!(
            !html[html.find("<main").unwrap()..].contains("<details"),
            "no past sessions, no past section (the header's menu is a <details> too)"
        );
    }
}
