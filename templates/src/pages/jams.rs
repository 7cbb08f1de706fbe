//! An organizer's jam series: the series form, the series page (sessions, organizers, invites),
//! scheduling sessions, one session, the co-organizer invite page and the photo upload.

use maud::{Markup, html};

use crate::{
    Page,
    components::{Field, FormState, Tone, alert, field, input, rich_text, select, textarea},
    icons,
    layout::{csrf_field, layout},
};

/// Where a session stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SessionStatus {
    Scheduled,
    Cancelled,
    Completed,
}

impl SessionStatus {
    pub fn label(self) -> &'static str {
        match self {
            Self::Scheduled => "Scheduled",
            Self::Cancelled => "Cancelled",
            Self::Completed => "Completed",
        }
    }

    fn badge_class(self) -> &'static str {
        match self {
            Self::Scheduled => "badge badge-info badge-soft",
            Self::Cancelled => "badge badge-error",
            Self::Completed => "badge badge-neutral",
        }
    }
}

/// The coloured badge naming a session's status.
pub fn status_badge(status: SessionStatus) -> Markup {
    html! { span class=(status.badge_class()) { (status.label()) } }
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

/// "Bases 3/10", or "Bases 12/10 — 2 over" in the error colour.
pub fn role_count(role: &str, count: RoleCount) -> Markup {
    let over = count.over();
    html! {
        span class={ "whitespace-nowrap" @if over > 0 { " text-error font-semibold" } } {
            (role) " " (count.confirmed) "/" (count.capacity)
            @if over > 0 { " — " (over) " over" }
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

/// One session in a series' list.
#[derive(Clone, Debug)]
pub struct SessionRow {
    pub href: String,
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

/// The series form, for a new series or an edit.
#[derive(Clone, Debug)]
pub struct SeriesFormView<'a> {
    pub heading: &'a str,
    pub action: &'a str,
    pub submit: &'a str,
    pub cancel_href: &'a str,
    pub form: &'a FormState,
    pub problem: Option<&'a str>,
    /// Whether the place search (Google Places autocomplete) is available.
    pub places_enabled: bool,
    /// The IANA zones offered for `time_zone`.
    pub time_zones: &'a [&'a str],
}

const COST_KINDS: [(&str, &str); 3] = [
    ("free", "Free"),
    ("donation", "Donation"),
    ("amount", "Set amount"),
];

const WEEKDAYS: [(&str, &str); 8] = [
    ("", "No usual day"),
    ("mon", "Monday"),
    ("tue", "Tuesday"),
    ("wed", "Wednesday"),
    ("thu", "Thursday"),
    ("fri", "Friday"),
    ("sat", "Saturday"),
    ("sun", "Sunday"),
];

/// A card of related fields with a visible legend.
fn group(title: &str, body: Markup) -> Markup {
    html! {
        // A floated legend is laid out as an ordinary flex item, like any card title.
        fieldset class="card card-body bg-base-200 gap-1" {
            legend class="card-title float-left w-full" { (title) }
            (body)
        }
    }
}

/// A number input taking value and error from the form.
fn number(label: &str, name: &str, form: &FormState, range: (&str, &str)) -> Markup {
    field(Field {
        kind: "number",
        min: Some(range.0),
        max: Some(range.1),
        ..Field::from_state(label, name, form)
    })
}

/// Price fields: kind, amount and currency.
fn cost_fields(form: &FormState, kinds: &[(&str, &str)]) -> Markup {
    html! {
        (select("Price", "cost_kind", kinds, form, None))
        div class="grid gap-x-4 sm:grid-cols-2" {
            (field(Field {
                kind: "number",
                min: Some("0"),
                step: Some("0.01"),
                hint: Some("Only for a set amount, e.g. 12.50."),
                ..Field::from_state("Amount", "cost_amount", form)
            }))
            (field(Field {
                hint: Some("Three letters, e.g. EUR."),
                max_length: 3,
                ..Field::from_state("Currency", "cost_currency", form)
            }))
        }
    }
}

/// Capacity per role, 0 to 500 each.
fn capacity_fields(form: &FormState) -> Markup {
    html! {
        div class="grid grid-cols-2 gap-x-4" {
            (number("Bases", "capacity_base", form, ("0", "500")))
            (number("Flyers", "capacity_flyer", form, ("0", "500")))
        }
    }
}

/// The time zone input, suggesting known zones; `jams.js` fills in the browser's when empty.
fn time_zone_field(form: &FormState, zones: &[&str]) -> Markup {
    let error = form.error("time_zone");
    html! {
        fieldset class="fieldset" {
            label class="fieldset-legend text-sm" for="field-time_zone" { "Time zone" }
            input id="field-time_zone" name="time_zone" type="text" value=(form.value("time_zone"))
                list="time-zones" data-browser-time-zone autocomplete="off" maxlength="64"
                class={ "input w-full" @if error.is_some() { " input-error" } }
                aria-invalid=[error.map(|_| "true")]
                aria-describedby="field-time_zone-note";
            datalist id="time-zones" {
                @for zone in zones { option value=(zone); }
            }
            p id="field-time_zone-note" class={ "label text-sm whitespace-normal" @if error.is_some() { " text-error" } } {
                @if let Some(error) = error { (error) } @else { "Where the jam happens, e.g. Europe/Berlin." }
            }
        }
    }
}

pub fn series_form(page: &Page<'_>, view: &SeriesFormView<'_>) -> Markup {
    let form = view.form;
    let coordinates_open = ["latitude", "longitude"]
        .iter()
        .any(|name| !form.value(name).is_empty() || form.error(name).is_some());
    layout(
        page,
        html! {
            section class="max-w-2xl mx-auto flex flex-col gap-6" aria-labelledby="series-form-title" {
                h1 id="series-form-title" class="text-3xl font-bold" { (view.heading) }
                @if let Some(problem) = view.problem { (alert(Tone::Error, problem)) }
                form method="post" action=(view.action) class="flex flex-col gap-6" novalidate {
                    (csrf_field(page.csrf))
                    (group("About", html! {
                        (field(Field {
                            required: true,
                            max_length: 120,
                            hint: Some("e.g. Sunday Acro Jam in the Park."),
                            ..Field::from_state("Name", "name", form)
                        }))
                        (textarea("Description", "description", form,
                            Some("What to expect. Line breaks are kept and links become clickable."), 4000))
                        (textarea("Level notes", "level_notes", form,
                            Some("Who the jam suits, e.g. beginners welcome, bring a spotter."), 1000))
                    }))
                    (group("Place", html! {
                        @if view.places_enabled {
                            fieldset class="fieldset" {
                                label class="fieldset-legend text-sm" for="field-place_query" { "Search for the place" }
                                input id="field-place_query" name="place_query" type="search"
                                    value=(form.value("place_query")) autocomplete="off" maxlength="200"
                                    class="input w-full"
                                    hx-get="/jams/places" hx-trigger="input changed delay:300ms"
                                    hx-target="#place-suggestions" hx-include="this"
                                    aria-controls="place-suggestions"
                                    aria-describedby="field-place_query-note";
                                p id="field-place_query-note" class="label text-sm whitespace-normal" {
                                    "Pick a suggestion to fill in the address, or type it below."
                                }
                                div id="place-suggestions" aria-live="polite" {}
                            }
                        }
                        input type="hidden" name="place_id" value=(form.value("place_id"));
                        (field(Field {
                            max_length: 120,
                            hint: Some("e.g. Volkspark, by the fountain."),
                            ..Field::from_state("Venue", "venue", form)
                        }))
                        (field(Field {
                            max_length: 300,
                            autocomplete: "street-address",
                            ..Field::from_state("Address", "address", form)
                        }))
                        details class="collapse collapse-arrow bg-base-100" open[coordinates_open] {
                            summary class="collapse-title text-sm font-semibold" { "Exact location (optional)" }
                            div class="collapse-content" {
                                p class="text-sm text-base-content/70" {
                                    "Coordinates put the pin on the map exactly, e.g. for a spot in a park."
                                }
                                div class="grid gap-x-4 sm:grid-cols-2" {
                                    (field(Field { kind: "number", min: Some("-90"), max: Some("90"), step: Some("any"),
                                        ..Field::from_state("Latitude", "latitude", form) }))
                                    (field(Field { kind: "number", min: Some("-180"), max: Some("180"), step: Some("any"),
                                        ..Field::from_state("Longitude", "longitude", form) }))
                                }
                            }
                        }
                    }))
                    (group("Price and capacity", html! {
                        (cost_fields(form, &COST_KINDS))
                        (capacity_fields(form))
                    }))
                    (group("Usual time", html! {
                        p class="text-sm text-base-content/70" {
                            "Used as the default when you schedule sessions; each session can still differ."
                        }
                        (select("Usual day", "weekday", &WEEKDAYS, form, None))
                        div class="grid gap-x-4 sm:grid-cols-2" {
                            (input("Start time", "start_time", "time", form, None))
                            (field(Field {
                                kind: "number",
                                min: Some("15"),
                                max: Some("720"),
                                hint: Some("e.g. 120 for two hours."),
                                ..Field::from_state("Duration in minutes", "duration_minutes", form)
                            }))
                        }
                        (time_zone_field(form, view.time_zones))
                    }))
                    (group("Visibility", html! {
                        (select("Who can find it", "visibility",
                            &[("public", "Public"), ("unlisted", "Unlisted")], form,
                            Some("Unlisted series are reachable only by their links.")))
                    }))
                    div class="flex flex-col-reverse sm:flex-row gap-3 sm:justify-end" {
                        a href=(view.cancel_href) class="btn btn-ghost" { "Cancel" }
                        button type="submit" class="btn btn-primary" { (view.submit) }
                    }
                }
            }
        },
    )
}

/// One place the autocomplete suggests.
#[derive(Clone, Debug, Default)]
pub struct PlaceSuggestion {
    pub place_id: String,
    pub text: String,
}

/// The htmx fragment of autocomplete suggestions: each a button with data-place-id /
/// data-place-text that the JS copies into place_id and address.
pub fn place_suggestions(items: &[PlaceSuggestion]) -> Markup {
    html! {
        @if items.is_empty() {
            p class="text-sm text-base-content/70 py-2" { "No matching places. Type the address below instead." }
        } @else {
            ul class="menu w-full bg-base-100 rounded-box mt-1" aria-label="Suggested places" {
                @for item in items {
                    li {
                        button type="button" data-place-id=(item.place_id) data-place-text=(item.text)
                            class="text-left whitespace-normal" {
                            (icons::map_pin("size-4 shrink-0"))
                            (item.text)
                        }
                    }
                }
            }
        }
    }
}

/// The series page.
#[derive(Clone, Debug)]
pub struct SeriesView<'a> {
    pub id: &'a str,
    pub name: &'a str,
    pub description: &'a str,
    pub archived: bool,
    pub visibility: &'a str,
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

/// The place, with a map link when there is one.
fn place(venue: &str, address: &str, maps_url: &str) -> Markup {
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
fn detail(icon: Markup, term: &str, value: Markup) -> Markup {
    html! {
        div class="flex gap-3" {
            dt class="text-primary pt-0.5" { (icon) span class="sr-only" { (term) } }
            dd class="min-w-0 break-words" { (value) }
        }
    }
}

fn session_list(rows: &[SessionRow]) -> Markup {
    html! {
        ul class="flex flex-col gap-2" {
            @for row in rows {
                li {
                    a href=(row.href) class="card card-sm bg-base-200 hover:bg-base-300 transition-colors" {
                        div class="card-body gap-1" {
                            div class="flex flex-wrap items-center gap-x-3 gap-y-1" {
                                span class={ "font-semibold" @if row.status == SessionStatus::Cancelled { " line-through" } } {
                                    (row.date)
                                }
                                span class="tabular-nums" { (row.time) }
                                (status_badge(row.status))
                                @if row.overridden {
                                    span class="badge badge-warning badge-soft" title="Place, price or capacity differs from the series" {
                                        "changed"
                                    }
                                }
                            }
                            div class="text-sm" { (counts_line(row.base, row.flyer, row.waitlist)) }
                            @if !row.note.is_empty() {
                                p class="text-sm text-base-content/70 line-clamp-2" { (row.note) }
                            }
                        }
                    }
                }
            }
        }
    }
}

pub fn series_page(page: &Page<'_>, view: &SeriesView<'_>) -> Markup {
    let base = format!("/jams/{}", view.id);
    layout(
        page,
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
                            @if view.archived { span class="badge badge-neutral" { "Archived" } }
                            @if view.visibility == "unlisted" { span class="badge badge-ghost" { "Unlisted" } }
                        }
                    }
                }
                @if view.can_edit {
                    div class="flex flex-wrap gap-2" {
                        a href={ (base) "/edit" } class="btn btn-sm" { (icons::pencil_square("size-4")) "Edit" }
                        a href={ (base) "/sessions/new" } class="btn btn-sm btn-primary" { (icons::calendar_days("size-4")) "Schedule sessions" }
                        a href={ (base) "/photo" } class="btn btn-sm" { (icons::photo("size-4")) "Photo" }
                        @if view.archived {
                            form method="post" action={ (base) "/unarchive" } {
                                (csrf_field(page.csrf))
                                button type="submit" class="btn btn-sm btn-ghost" { "Unarchive" }
                            }
                        } @else {
                            form method="post" action={ (base) "/archive" } {
                                (csrf_field(page.csrf))
                                button type="submit" class="btn btn-sm btn-ghost" { "Archive" }
                            }
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
                                p { "No upcoming sessions." }
                                @if view.can_edit {
                                    a href={ (base) "/sessions/new" } class="btn btn-primary btn-sm" {
                                        (icons::plus("size-4")) "Schedule sessions"
                                    }
                                }
                            }
                        }
                    } @else {
                        (session_list(&view.upcoming))
                    }
                    @if !view.past.is_empty() {
                        details class="collapse collapse-arrow bg-base-200" {
                            summary class="collapse-title font-semibold" { "Past (" (view.past.len()) ")" }
                            div class="collapse-content" { (session_list(&view.past)) }
                        }
                    }
                }
                (organizers(page, view, &base))
                @if view.is_owner { (invites(page, view, &base)) (danger_zone(page, &base)) }
            }
        },
    )
}

fn organizers(page: &Page<'_>, view: &SeriesView<'_>, base: &str) -> Markup {
    html! {
        section class="flex flex-col gap-3" aria-labelledby="organizers-title" {
            h2 id="organizers-title" class="text-2xl font-bold" { "Organizers" }
            ul class="list bg-base-200 rounded-box" {
                @for organizer in &view.organizers {
                    li class="list-row items-center" {
                        div class="min-w-0 list-col-grow" {
                            div class="flex flex-wrap items-center gap-2" {
                                span class="font-semibold" { (organizer.name) }
                                @if organizer.owner {
                                    span class="badge badge-primary badge-sm" { "Owner" }
                                } @else {
                                    span class="badge badge-ghost badge-sm" { "Co-organizer" }
                                }
                                @if organizer.is_viewer { span class="text-sm text-base-content/70" { "(you)" } }
                            }
                            div class="text-sm text-base-content/70 break-all" { (organizer.email) }
                        }
                        @if let Some(action) = &organizer.remove_action {
                            form method="post" action=(action) {
                                (csrf_field(page.csrf))
                                button type="submit" class="btn btn-sm btn-ghost text-error" {
                                    "Remove" span class="sr-only" { " " (organizer.name) }
                                }
                            }
                        } @else if organizer.is_viewer && !view.is_owner {
                            form method="post" action={ (base) "/leave" } {
                                (csrf_field(page.csrf))
                                button type="submit" class="btn btn-sm btn-outline btn-warning" { "Leave this series" }
                            }
                        }
                    }
                }
            }
        }
    }
}

fn invites(page: &Page<'_>, view: &SeriesView<'_>, base: &str) -> Markup {
    html! {
        section class="card bg-base-200" aria-labelledby="invite-title" {
            div class="card-body gap-3" {
                h2 id="invite-title" class="card-title" { "Invite a co-organizer" }
                p class="text-sm text-base-content/80" {
                    "Co-organizers manage sessions and registrations; the series stays yours."
                }
                @if let Some(link) = view.new_invite_link {
                    div class="alert alert-success alert-soft flex-col items-stretch" role="status" {
                        p { "Invite created. Send this link to the person you invited:" }
                        (copy_box("new-invite-link", "New invite link", link))
                    }
                }
                form method="post" action={ (base) "/invites" } novalidate class="flex flex-col" {
                    (csrf_field(page.csrf))
                    (field(Field {
                        kind: "email",
                        autocomplete: "email",
                        required: true,
                        max_length: 254,
                        hint: Some("The link works for this address only."),
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
                                    form method="post" action=(invite.revoke_action) {
                                        (csrf_field(page.csrf))
                                        button type="submit" class="btn btn-sm btn-ghost text-error" {
                                            "Revoke" span class="sr-only" { " the invite for " (invite.email) }
                                        }
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

fn danger_zone(page: &Page<'_>, base: &str) -> Markup {
    html! {
        section class="card border border-error" aria-labelledby="danger-title" {
            div class="card-body gap-3" {
                h2 id="danger-title" class="card-title text-error" { "Danger zone" }
                p class="text-sm text-base-content/80" {
                    "Deleting removes the series and all its sessions for good. "
                    "A series with registrations for future sessions cannot be deleted, only archived: "
                    "archiving hides it and keeps everyone's registrations."
                }
                form method="post" action={ (base) "/delete" } class="flex flex-col gap-3 items-start" {
                    (csrf_field(page.csrf))
                    label class="label whitespace-normal text-base-content" {
                        input type="checkbox" name="confirm" value="yes" required class="checkbox checkbox-error";
                        "I understand this deletes the series and its sessions"
                    }
                    button type="submit" class="btn btn-error" { (icons::trash("size-4")) "Delete series" }
                }
            }
        }
    }
}

/// The form that schedules one or more sessions of a series.
#[derive(Clone, Debug)]
pub struct ScheduleFormView<'a> {
    pub series_name: &'a str,
    pub series_href: &'a str,
    pub action: &'a str,
    pub time_zone: &'a str,
    pub form: &'a FormState,
    pub problem: Option<&'a str>,
}

/// Start and end time side by side.
fn time_fields(form: &FormState) -> Markup {
    html! {
        div class="grid grid-cols-2 gap-x-4" {
            (input("Starts", "start_time", "time", form, None))
            (input("Ends", "end_time", "time", form, None))
        }
    }
}

/// A link back to the series.
fn back_link(href: &str, name: &str) -> Markup {
    html! {
        a href=(href) class="link link-hover text-sm inline-flex items-center gap-1 self-start" {
            (icons::chevron_left("size-4")) (name)
        }
    }
}

pub fn schedule_form(page: &Page<'_>, view: &ScheduleFormView<'_>) -> Markup {
    let form = view.form;
    layout(
        page,
        html! {
            section class="max-w-xl mx-auto flex flex-col gap-4" aria-labelledby="schedule-title" {
                (back_link(view.series_href, view.series_name))
                h1 id="schedule-title" class="text-3xl font-bold" { "Schedule sessions" }
                p class="text-base-content/80" {
                    "Times are in " strong { (view.time_zone) } "."
                }
                @if let Some(problem) = view.problem { (alert(Tone::Error, problem)) }
                form method="post" action=(view.action) class="card bg-base-200" novalidate {
                    div class="card-body gap-1" {
                        (csrf_field(page.csrf))
                        (field(Field { kind: "date", required: true,
                            hint: Some("The first session."), ..Field::from_state("Date", "date", form) }))
                        (time_fields(form))
                        div class="grid gap-x-4 sm:grid-cols-2" {
                            (select("Repeat", "repeat", &[
                                ("once", "Just this date"),
                                ("weekly", "Every week"),
                                ("biweekly", "Every other week"),
                            ], form, None))
                            (field(Field {
                                kind: "number", min: Some("1"), max: Some("52"),
                                hint: Some("How many sessions, up to 52. Dates that already have a session are skipped."),
                                ..Field::from_state("Sessions", "count", form)
                            }))
                        }
                        (capacity_fields(form))
                        (textarea("Note", "note", form,
                            Some("Shown with each of these sessions, e.g. \"Indoors if it rains\"."), 500))
                        div class="card-actions justify-end mt-2" {
                            a href=(view.series_href) class="btn btn-ghost" { "Cancel" }
                            button type="submit" class="btn btn-primary" { "Schedule" }
                        }
                    }
                }
            }
        },
    )
}

/// One session, as its organizers see it.
#[derive(Clone, Debug)]
pub struct SessionView<'a> {
    pub series_name: &'a str,
    pub series_href: &'a str,
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

/// A role's count for the session summary, warning when over capacity.
fn role_summary(role: &str, count: RoleCount) -> Markup {
    let over = count.over();
    html! {
        @if over > 0 {
            div class="alert alert-warning alert-soft" role="status" {
                (icons::exclamation_triangle("size-5 shrink-0"))
                span {
                    strong { (role) " " (count.confirmed) "/" (count.capacity) }
                    ": " (over) " over capacity — nobody was removed"
                }
            }
        } @else {
            div class="stat px-0 py-1" {
                div class="stat-title" { (role) }
                div class="stat-value text-2xl tabular-nums" { (count.confirmed) "/" (count.capacity) }
            }
        }
    }
}

pub fn session_page(page: &Page<'_>, view: &SessionView<'_>) -> Markup {
    let editable = view.can_edit && view.status == SessionStatus::Scheduled;
    layout(
        page,
        html! {
            article class="max-w-2xl mx-auto flex flex-col gap-6" aria-labelledby="session-title" {
                (back_link(view.series_href, view.series_name))
                @if let Some(notice) = view.notice { (alert(Tone::Success, notice)) }
                @if let Some(problem) = view.problem { (alert(Tone::Error, problem)) }
                header class="flex flex-col gap-2" {
                    h1 id="session-title" class={ "text-3xl font-bold" @if view.status == SessionStatus::Cancelled { " line-through" } } {
                        (view.date)
                    }
                    div class="flex flex-wrap items-center gap-2" {
                        span class="text-lg tabular-nums" { (view.time) }
                        span class="text-base-content/70" { (view.time_zone) }
                        (status_badge(view.status))
                    }
                    @if let Some(reason) = view.cancel_reason {
                        div class="alert alert-error alert-soft" {
                            span { strong { "Cancelled: " } (reason) }
                        }
                    }
                }
                section class="card bg-base-200" aria-labelledby="summary-title" {
                    div class="card-body gap-3" {
                        h2 id="summary-title" class="card-title" { "Registrations" }
                        div class="grid gap-x-6 sm:grid-cols-3" {
                            (role_summary("Bases", view.base))
                            (role_summary("Flyers", view.flyer))
                            div class="stat px-0 py-1" {
                                div class="stat-title" { "Waitlist" }
                                div class="stat-value text-2xl tabular-nums" { (view.waitlist) }
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
                (input("Date", "date", "date", form, None))
                (time_fields(form))
                (capacity_fields(form))
                (cost_fields(form, &[
                    ("default", "Series default"),
                    ("free", "Free"),
                    ("donation", "Donation"),
                    ("amount", "Set amount"),
                ]))
                (field(Field { max_length: 120, ..Field::from_state("Venue", "venue", form) }))
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

fn session_cancel_form(page: &Page<'_>, view: &SessionView<'_>) -> Markup {
    let error = view.cancel_form.error("reason");
    html! {
        section class="card border border-error" aria-labelledby="cancel-title" {
            form method="post" action=(view.cancel_action) class="card-body gap-1" {
                h2 id="cancel-title" class="card-title text-error" { "Cancel this session" }
                (csrf_field(page.csrf))
                fieldset class="fieldset" {
                    label class="fieldset-legend text-sm" for="field-reason" { "Reason" }
                    textarea id="field-reason" name="reason" rows="3" maxlength="500" required
                        class={ "textarea w-full" @if error.is_some() { " textarea-error" } }
                        aria-invalid=[error.map(|_| "true")]
                        aria-describedby="field-reason-note" { (view.cancel_form.value("reason")) }
                    p id="field-reason-note" class={ "label text-sm whitespace-normal" @if error.is_some() { " text-error" } } {
                        @if let Some(error) = error { (error) } @else { "Everyone registered gets this message." }
                    }
                }
                div class="card-actions justify-end mt-2" {
                    button type="submit" class="btn btn-error" { (icons::x_mark("size-4")) "Cancel session" }
                }
            }
        }
    }
}

/// Where a co-organizer invite stands.
#[derive(Clone, Debug)]
pub enum InviteState {
    Open {
        accept_action: String,
        signed_in: bool,
        login_href: String,
    },
    Expired,
    Used,
    Revoked,
    Invalid,
    AlreadyOrganizer {
        series_href: String,
    },
}

/// The page an invite link opens.
#[derive(Clone, Debug)]
pub struct InviteView<'a> {
    pub series_name: Option<&'a str>,
    pub inviter: Option<&'a str>,
    pub email: Option<&'a str>,
    pub expires: Option<&'a str>,
    pub state: InviteState,
}

pub fn invite_page(page: &Page<'_>, view: &InviteView<'_>) -> Markup {
    let series = view.series_name.unwrap_or("a jam series");
    let ask = "Ask the series owner to send you a new invite.";
    let (icon, title, body): (Markup, &str, Markup) = match &view.state {
        InviteState::Open {
            accept_action,
            signed_in,
            login_href,
        } => (
            icons::user_group("size-12"),
            "Join as co-organizer",
            html! {
                p class="text-lg" {
                    (view.inviter.unwrap_or("Someone")) " invited you"
                    @if let Some(email) = view.email { " (" strong { (email) } ")" }
                    " to co-organize " strong { (series) } "."
                }
                @if let Some(expires) = view.expires {
                    p class="text-base-content/70" { "The invite expires " (expires) "." }
                }
                @if *signed_in {
                    form method="post" action=(accept_action) {
                        (csrf_field(page.csrf))
                        button type="submit" class="btn btn-primary btn-lg" { "Accept invite" }
                    }
                } @else {
                    a href=(login_href) class="btn btn-primary btn-lg" {
                        (icons::arrow_right_end_on_rectangle("size-5")) "Sign in or sign up to accept"
                    }
                    @if let Some(email) = view.email {
                        p class="text-sm text-base-content/70" { "Use " (email) " so the invite matches." }
                    }
                }
            },
        ),
        InviteState::Expired => (
            icons::clock("size-12"),
            "This invite has expired",
            html! { p class="text-lg" { "Invites work for a limited time. " (ask) } },
        ),
        InviteState::Used => (
            icons::check_circle("size-12"),
            "This invite was already used",
            html! { p class="text-lg" { "Each invite works once. If it was not you who accepted it: " (ask) } },
        ),
        InviteState::Revoked => (
            icons::x_mark("size-12"),
            "This invite was withdrawn",
            html! { p class="text-lg" { "The owner revoked it. " (ask) } },
        ),
        InviteState::Invalid => (
            icons::exclamation_triangle("size-12"),
            "This invite link does not work",
            html! { p class="text-lg" { "Check that you copied the whole link, or " (ask.to_lowercase()) } },
        ),
        InviteState::AlreadyOrganizer { series_href } => (
            icons::check_circle("size-12"),
            "You already organize this series",
            html! {
                p class="text-lg" { "You are an organizer of " strong { (series) } " already; nothing to accept." }
                a href=(series_href) class="btn btn-primary" { "Go to the series" }
            },
        ),
    };
    layout(
        page,
        html! {
            section class="max-w-md mx-auto text-center flex flex-col items-center gap-4 py-6" aria-labelledby="invite-title" {
                div class="text-primary" { (icon) }
                h1 id="invite-title" class="text-3xl font-bold" { (title) }
                (body)
            }
        },
    )
}

/// The photo upload: the form posts straight to S3 (a presigned POST).
#[derive(Clone, Debug, Default)]
pub struct PhotoFormView<'a> {
    pub series_name: &'a str,
    pub series_href: &'a str,
    pub upload_url: &'a str,
    /// The presigned POST fields, in the order S3 expects them.
    pub fields: &'a [(String, String)],
    pub current: Option<String>,
    pub problem: Option<&'a str>,
    pub remove_action: &'a str,
}

pub fn photo_form(page: &Page<'_>, view: &PhotoFormView<'_>) -> Markup {
    let described = if view.problem.is_some() {
        "field-file-note field-file-error"
    } else {
        "field-file-note"
    };
    layout(
        page,
        html! {
            section class="max-w-xl mx-auto flex flex-col gap-4" aria-labelledby="photo-title" {
                (back_link(view.series_href, view.series_name))
                h1 id="photo-title" class="text-3xl font-bold" { "Photo" }
                @if let Some(current) = &view.current {
                    figure class="flex flex-col gap-2" {
                        img src=(current) alt={ "The current photo of " (view.series_name) }
                            class="w-full aspect-video object-cover rounded-box";
                        figcaption class="text-sm text-base-content/70" { "The current photo." }
                    }
                    form method="post" action=(view.remove_action) {
                        (csrf_field(page.csrf))
                        button type="submit" class="btn btn-sm btn-ghost text-error" { (icons::trash("size-4")) "Remove photo" }
                    }
                }
                // Goes to S3 on another origin: no CSRF token, and `file` must come last.
                form method="post" action=(view.upload_url) enctype="multipart/form-data" class="card bg-base-200" {
                    div class="card-body gap-2" {
                        @for (name, value) in view.fields {
                            input type="hidden" name=(name) value=(value);
                        }
                        fieldset class="fieldset" {
                            label class="fieldset-legend text-sm" for="field-file" {
                                @if view.current.is_some() { "New photo" } @else { "Photo" }
                            }
                            input id="field-file" type="file" required
                                accept="image/jpeg,image/png,image/webp"
                                class={ "file-input w-full" @if view.problem.is_some() { " file-input-error" } }
                                aria-invalid=[view.problem.map(|_| "true")]
                                aria-describedby=(described)
                                name="file";
                            p id="field-file-note" class="label text-sm whitespace-normal" {
                                "JPEG, PNG or WebP, up to 8 MB. Location data in the photo is removed."
                            }
                            @if let Some(problem) = view.problem {
                                div id="field-file-error" { (alert(Tone::Error, problem)) }
                            }
                        }
                        div class="card-actions justify-end" {
                            a href=(view.series_href) class="btn btn-ghost" { "Cancel" }
                            button type="submit" class="btn btn-primary" { (icons::arrow_down_tray("size-4")) "Upload photo" }
                        }
                    }
                }
            }
        },
    )
}
