//! An organizer's jam series: the series form, the series page (sessions, organizers, invites),
//! scheduling sessions, one session, the co-organizer invite page and the photo upload.

use maud::{Markup, html};

use crate::{
    Page, Script,
    components::{
        Field, FormState, Tone, alert, field, input, note, required_marker, rich_text, select,
        textarea,
    },
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

    /// The colour of the badge's dot: the words carry the meaning, the dot a hint of it.
    fn dot_class(self) -> &'static str {
        match self {
            Self::Scheduled => "bg-info",
            Self::Cancelled => "bg-error",
            Self::Completed => "bg-base-content/50",
        }
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
    tag(status.dot_class(), status.label())
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
pub fn visibility_badge(unlisted: bool) -> Markup {
    html! {
        @if unlisted {
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
    /// The shortest and longest usual duration the server accepts, in minutes.
    pub duration_minutes: (u16, u16),
    /// The registration cut-offs offered for `closes_minutes_before`: minutes before the start
    /// and their label, e.g. `(60, "1 hour before the start")`.
    pub cut_offs: &'a [(u32, &'a str)],
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

const EITHER_FIRST: [(&str, &str); 2] = [
    ("base", "A base spot first"),
    ("flyer", "A flyer spot first"),
];

/// Booking rules: which role "either" takes first, and when registration closes (options
/// from `cut_offs`, value the minutes before the start).
fn booking_fields(form: &FormState, cut_offs: &[(u32, &str)]) -> Markup {
    let minutes: Vec<String> = cut_offs.iter().map(|(m, _)| m.to_string()).collect();
    let options: Vec<(&str, &str)> = minutes
        .iter()
        .zip(cut_offs)
        .map(|(value, (_, label))| (value.as_str(), *label))
        .collect();
    html! {
        (select("Someone who registers as “either” takes…", "either_first", &EITHER_FIRST, form,
            Some("When both roles have room.")))
        @if !options.is_empty() {
            (select("Registration closes", "closes_minutes_before", &options, form,
                Some("After that, the session page says registration is closed.")))
        }
    }
}

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

/// A [`group`] with a line under its legend that describes the whole group (e.g. which of its
/// fields are required); `id` names that line.
fn described_group(title: &str, id: &str, description: &str, body: Markup) -> Markup {
    html! {
        fieldset class="card card-body bg-base-200 gap-1" aria-describedby=(id) {
            legend class="card-title float-left w-full" { (title) }
            p id=(id) class="text-sm" { (description) }
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
            (note("field-time_zone-note", error, Some("Where the jam happens, e.g. Europe/Berlin.")))
        }
    }
}

pub fn series_form(page: &Page<'_>, view: &SeriesFormView<'_>) -> Markup {
    let form = view.form;
    let (shortest, longest) = (
        view.duration_minutes.0.to_string(),
        view.duration_minutes.1.to_string(),
    );
    let coordinates_open = ["latitude", "longitude"]
        .iter()
        .any(|name| !form.value(name).is_empty() || form.error(name).is_some());
    let mut page = page.clone().script(Script::Organizer);
    if view.places_enabled {
        page = page.script(Script::Htmx);
    }
    layout(
        &page,
        html! {
            section class="max-w-2xl mx-auto flex flex-col gap-6" aria-labelledby="series-form-title" {
                h1 id="series-form-title" class="text-3xl font-bold" { (view.heading) }
                @if let Some(problem) = view.problem { (alert(Tone::Error, problem)) }
                form method="post" action=(view.action) class="flex flex-col gap-6" novalidate {
                    (csrf_field(page.csrf))
                    (group("About", html! {
                        (field(Field {
                            required: true,
                            max_length: 100,
                            hint: Some("e.g. Sunday Acro Jam in the Park."),
                            ..Field::from_state("Name", "name", form)
                        }))
                        (textarea("Description", "description", form,
                            Some("What to expect. Line breaks are kept and links become clickable."), 4000))
                        (textarea("Level notes", "level_notes", form,
                            Some("Who the jam suits, e.g. beginners welcome, bring a spotter."), 1000))
                    }))
                    (described_group("Place", "place-required", "Venue or address is required.", html! {
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
                            max_length: 200,
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
                                min: Some(&shortest),
                                max: Some(&longest),
                                hint: Some("e.g. 120 for two hours."),
                                ..Field::from_state("Duration in minutes", "duration_minutes", form)
                            }))
                        }
                        (time_zone_field(form, view.time_zones))
                    }))
                    (group("Bookings", booking_fields(form, view.cut_offs)))
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
    /// The series' public page, `/series/{id}`, and its full address to share.
    pub public_href: &'a str,
    pub share_url: &'a str,
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
                            (visibility_badge(view.visibility == "unlisted"))
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
                        hint: Some("We email them a link that works for 48 hours. Anyone with the link can accept, so share it only with them."),
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

/// A required date or time input (the server requires them in both session forms).
fn required_input(
    label: &str,
    name: &str,
    kind: &str,
    form: &FormState,
    hint: Option<&str>,
) -> Markup {
    field(Field {
        kind,
        hint,
        required: true,
        ..Field::from_state(label, name, form)
    })
}

/// Start and end time side by side.
fn time_fields(form: &FormState) -> Markup {
    html! {
        div class="grid grid-cols-2 gap-x-4" {
            (required_input("Starts", "start_time", "time", form, None))
            (required_input("Ends", "end_time", "time", form, None))
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
                        (required_input("Date", "date", "date", form, Some("The first session.")))
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

/// The step before a destructive action: what will happen, the real button, and a way back.
#[derive(Clone, Debug, Default)]
pub struct ConfirmView<'a> {
    /// A question, e.g. "Remove Bo from Park Jam?".
    pub heading: &'a str,
    /// What the action does, in plain words.
    pub consequence: &'a str,
    pub action: &'a str,
    /// The real button, e.g. "Remove Bo".
    pub button: &'a str,
    pub back_href: &'a str,
    /// e.g. "Keep them".
    pub back_label: &'a str,
}

pub fn confirm_page(page: &Page<'_>, view: &ConfirmView<'_>) -> Markup {
    layout(
        page,
        html! {
            section class="max-w-xl mx-auto flex flex-col gap-4" aria-labelledby="confirm-title" {
                h1 id="confirm-title" class="text-3xl font-bold break-words" { (view.heading) }
                p class="text-lg" { (view.consequence) }
                form method="post" action=(view.action) class="flex flex-col-reverse sm:flex-row gap-3" {
                    (csrf_field(page.csrf))
                    a href=(view.back_href) class="btn" { (view.back_label) }
                    button type="submit" class="btn btn-error" { (view.button) }
                }
            }
        },
    )
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
            html! {
                p class="text-lg" {
                    "Each invite works once. If you accepted it, the series is already on your dashboard; "
                    "otherwise ask the series' owner for a new invite."
                }
            },
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
    /// Why the photo was not removed (the confirmation box was not ticked), beside that box.
    pub remove_problem: Option<&'a str>,
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
                    // Confirmed by a tick, without JavaScript; the server checks `confirm=yes`.
                    form method="post" action=(view.remove_action) class="flex flex-col gap-2 items-start" {
                        (csrf_field(page.csrf))
                        label class="label whitespace-normal text-base-content" {
                            input type="checkbox" name="confirm" value="yes" class="checkbox checkbox-error"
                                aria-invalid=[view.remove_problem.map(|_| "true")]
                                aria-describedby=[view.remove_problem.map(|_| "remove-photo-note")];
                            "Yes, remove the photo"
                        }
                        @if let Some(problem) = view.remove_problem {
                            (note("remove-photo-note", Some(problem), None))
                        }
                        button type="submit" class="btn btn-sm btn-error" { (icons::trash("size-4")) "Remove photo" }
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::{forms, state};
    use crate::{Theme, Viewer};

    const CSRF: &str = r#"<input type="hidden" name="csrf" value="tok">"#;

    fn page() -> Page<'static> {
        Page::new("Jam", "/jams/s1", Theme::System)
            .csrf("tok")
            .viewer(Some(Viewer {
                name: "Ana",
                superadmin: false,
            }))
    }

    /// Every POST form but those going to `except` carries the CSRF token; returns their actions.
    fn assert_post_forms_have_csrf(html: &str, except: Option<&str>) -> Vec<String> {
        let mut actions = Vec::new();
        for form in forms(html) {
            let tag = &form[..form.find('>').unwrap()];
            let action = tag
                .split("action=\"")
                .nth(1)
                .and_then(|rest| rest.split('"').next())
                .unwrap_or("")
                .to_owned();
            if !tag.contains(r#"method="post""#) || except == Some(action.as_str()) {
                continue;
            }
            assert!(form.contains(CSRF), "form to {action} lacks the CSRF token");
            actions.push(action);
        }
        actions
    }

    /// The error is the note of the named control, which is marked invalid and points to it.
    fn assert_error_beside(html: &str, name: &str, error: &str) {
        let note = format!("field-{name}-note");
        let control = html
            .split(&format!(r#"id="field-{name}""#))
            .nth(1)
            .unwrap_or_else(|| panic!("no control {name}"));
        let tag = &control[..control.find('>').unwrap()];
        assert!(tag.contains(r#"aria-invalid="true""#), "{name} not invalid");
        assert!(tag.contains(&format!(r#"aria-describedby="{note}""#)));
        let after = html.split(&format!(r#"id="{note}""#)).nth(1).unwrap();
        assert!(
            after[..after.find("</p>").unwrap()].contains(error),
            "{name}: {error} not in its note"
        );
    }

    /// The opening tag of the first input, select or textarea named `name`.
    fn control<'h>(html: &'h str, name: &str) -> &'h str {
        html.match_indices(&format!(r#" name="{name}""#))
            .map(|(at, _)| {
                let start = html[..at].rfind('<').unwrap();
                &html[start..at + html[at..].find('>').unwrap()]
            })
            .find(|tag| {
                ["<input", "<select", "<textarea"]
                    .iter()
                    .any(|t| tag.starts_with(t))
            })
            .unwrap_or_else(|| panic!("no control {name}"))
    }

    /// Whether the control `name` is required (attribute) and its label says so (marker), as a
    /// pair; panics when one is without the other.
    fn required(html: &str, name: &str) -> bool {
        let tag = control(html, name);
        let attribute = tag.contains(" required");
        let id = tag
            .split(r#"id=""#)
            .nth(1)
            .unwrap()
            .split('"')
            .next()
            .unwrap();
        let label = html.split(&format!(r#"for="{id}""#)).nth(1).unwrap();
        let marker = label[..label.find("</label>").unwrap()]
            .contains(r#"aria-hidden="true">required</span>"#);
        assert_eq!(attribute, marker, "{name}: attribute and marker disagree");
        attribute
    }

    fn links(session: &str) -> SessionLinks {
        let manage = format!("/jams/s1/sessions/{session}");
        SessionLinks {
            public: format!("/s/{session}"),
            share_url: format!("https://jamie.example/s/{session}"),
            registrations: format!("{manage}/registrations"),
            checkin: format!("{manage}/checkin"),
            csv: format!("{manage}/registrations.csv"),
            add: format!("{manage}/registrations#add-someone"),
            manage,
        }
    }

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
            visibility: "unlisted",
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
                    status.label()
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

    #[test]
    fn the_series_form_keeps_values_and_puts_errors_beside_fields() {
        let form = state(
            &[
                ("name", "Park <jam>"),
                ("description", "Hi\nthere"),
                ("cost_kind", "amount"),
                ("weekday", "tue"),
                ("visibility", "unlisted"),
                ("capacity_base", "12"),
                ("place_id", "pl-1"),
                ("either_first", "flyer"),
                ("closes_minutes_before", "60"),
            ],
            &[
                ("name", "Give the series a name."),
                ("capacity_flyer", "Between 0 and 500."),
                ("time_zone", "Unknown time zone."),
                ("closes_minutes_before", "Pick one of the listed times."),
            ],
        );
        let html = series_form(
            &page(),
            &SeriesFormView {
                heading: "New series",
                action: "/jams",
                submit: "Create series",
                cancel_href: "/jams",
                form: &form,
                problem: None,
                places_enabled: true,
                time_zones: &["Europe/Berlin", "America/New_York"],
                duration_minutes: (15, 720),
                cut_offs: &[
                    (0, "At the start"),
                    (60, "1 hour before"),
                    (1440, "1 day before"),
                ],
            },
        )
        .into_string();
        assert_eq!(
            assert_post_forms_have_csrf(&html, None),
            ["/preferences/theme", "/logout", "/jams"]
        );
        assert!(html.contains(r#"value="Park &lt;jam&gt;""#));
        assert!(html.contains(">Hi\nthere</textarea>"));
        assert!(html.contains(r#"<option value="amount" selected>"#));
        assert!(html.contains(r#"<option value="tue" selected>Tuesday</option>"#));
        assert!(html.contains(r#"<option value="">No usual day</option>"#));
        assert!(html.contains(r#"<option value="unlisted" selected>"#));
        assert!(html.contains("Unlisted series are reachable only by their links."));
        assert!(html.contains(r#"type="hidden" name="place_id" value="pl-1""#));
        assert!(html.contains(r#"name="capacity_base" type="number" value="12""#));
        assert!(html.contains(r#"min="0" max="500""#));
        assert_error_beside(&html, "name", "Give the series a name.");
        assert_error_beside(&html, "capacity_flyer", "Between 0 and 500.");
        assert_error_beside(&html, "time_zone", "Unknown time zone.");
        // Booking rules: "either" goes to the chosen role first; registration closes at a cut-off.
        assert!(html.contains(
            r#"<label class="fieldset-legend text-sm" for="field-either_first">Someone who registers as “either” takes…</label>"#
        ));
        assert!(html.contains(r#"<option value="base">A base spot first</option>"#));
        assert!(html.contains(r#"<option value="flyer" selected>A flyer spot first</option>"#));
        assert!(html.contains("When both roles have room."));
        assert!(html.contains(r#"for="field-closes_minutes_before">Registration closes</label>"#));
        let closes = &html[html
            .find(r#"<select id="field-closes_minutes_before""#)
            .unwrap()..];
        let closes = &closes[..closes.find("</select>").unwrap()];
        assert_eq!(closes.matches("<option ").count(), 3);
        assert!(closes.contains(r#"<option value="0">At the start</option>"#));
        assert!(closes.contains(r#"<option value="60" selected>1 hour before</option>"#));
        assert!(closes.contains(r#"<option value="1440">1 day before</option>"#));
        assert_error_beside(
            &html,
            "closes_minutes_before",
            "Pick one of the listed times.",
        );
        assert!(html.contains(r#"list="time-zones" data-browser-time-zone"#));
        assert!(html.contains(r#"<option value="America/New_York">"#));
        assert!(html.contains(r##"hx-get="/jams/places" hx-trigger="input changed delay:300ms" hx-target="#place-suggestions" hx-include="this""##));
        assert!(html.contains(r#"<div id="place-suggestions""#));
        for name in [
            "description",
            "venue",
            "address",
            "latitude",
            "longitude",
            "cost_amount",
            "cost_currency",
            "start_time",
            "duration_minutes",
            "level_notes",
        ] {
            assert!(
                html.contains(&format!(r#"name="{name}""#)),
                "{name} missing"
            );
        }
        for legend in [
            "About",
            "Place",
            "Price and capacity",
            "Usual time",
            "Bookings",
            "Visibility",
        ] {
            assert!(
                html.contains(&format!(">{legend}</legend>")),
                "{legend} missing"
            );
        }
        assert!(!html.contains(" style="), "no inline styles");
        assert!(required(&html, "name"), "the name is required");
        for optional in ["venue", "address", "description", "cost_amount", "latitude"] {
            assert!(!required(&html, optional), "{optional} marked required");
        }
        assert!(html.contains(
            r#"<fieldset class="card card-body bg-base-200 gap-1" aria-describedby="place-required"><legend class="card-title float-left w-full">Place</legend><p id="place-required" class="text-sm">Venue or address is required.</p>"#
        ));
        assert!(html.contains(r#"name="name" type="text" value="Park &lt;jam&gt;" class="input w-full input-error" autocomplete="off" maxlength="100""#));
    }

    #[test]
    fn the_place_search_is_only_there_when_enabled() {
        let form = FormState::default();
        let html = series_form(
            &page(),
            &SeriesFormView {
                heading: "Edit",
                action: "/jams/s1",
                submit: "Save",
                cancel_href: "/jams/s1",
                form: &form,
                problem: Some("Check the fields below."),
                places_enabled: false,
                time_zones: &[],
                duration_minutes: (15, 720),
                cut_offs: &[],
            },
        )
        .into_string();
        assert!(!html.contains("place_query") && !html.contains("hx-get"));
        assert!(html.contains("Check the fields below."));
        // Without cut-offs there is nothing to choose from; "either" still is.
        assert!(!html.contains("closes_minutes_before"));
        assert!(control(&html, "either_first").starts_with(r#"<select id="field-either_first""#));
        assert!(!html.contains(" selected>A"), "nothing chosen yet");
    }

    #[test]
    fn place_suggestions_carry_their_id_and_text() {
        let html = place_suggestions(&[PlaceSuggestion {
            place_id: "ChIJ\"1".into(),
            text: "Park <1>, Berlin".into(),
        }])
        .into_string();
        assert!(html.contains(
            r#"type="button" data-place-id="ChIJ&quot;1" data-place-text="Park &lt;1&gt;, Berlin""#
        ));
        assert!(html.contains(">Park &lt;1&gt;, Berlin</button>"));
        assert!(
            place_suggestions(&[])
                .into_string()
                .contains("No matching places")
        );
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
            visibility: "public",
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

    #[test]
    fn the_schedule_form_names_the_time_zone_and_keeps_values() {
        let form = state(
            &[
                ("date", "2026-12-01"),
                ("repeat", "biweekly"),
                ("count", "60"),
            ],
            &[("count", "At most 52 sessions at once.")],
        );
        let html = schedule_form(
            &page(),
            &ScheduleFormView {
                series_name: "Park <jam>",
                series_href: "/jams/s1",
                action: "/jams/s1/sessions",
                time_zone: "Europe/Berlin",
                form: &form,
                problem: None,
            },
        )
        .into_string();
        assert_eq!(
            assert_post_forms_have_csrf(&html, None).last().unwrap(),
            "/jams/s1/sessions"
        );
        assert!(html.contains("Europe/Berlin") && html.contains("Park &lt;jam&gt;"));
        assert!(html.contains(r#"value="2026-12-01""#));
        assert!(html.contains(r#"<option value="biweekly" selected>Every other week</option>"#));
        assert!(html.contains("Just this date") && html.contains("Every week"));
        assert!(html.contains(r#"min="1" max="52""#));
        assert_error_beside(&html, "count", "At most 52 sessions at once.");
        for name in ["date", "start_time", "end_time"] {
            assert!(required(&html, name), "{name} not required");
        }
        for name in ["count", "capacity_base", "capacity_flyer"] {
            assert!(!required(&html, name), "{name} marked required");
        }
        for name in [
            "start_time",
            "end_time",
            "capacity_base",
            "capacity_flyer",
            "note",
        ] {
            assert!(
                html.contains(&format!(r#"name="{name}""#)),
                "{name} missing"
            );
        }
    }

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

    #[test]
    fn an_open_invite_is_accepted_with_a_button_or_after_signing_in() {
        let open = |signed_in| InviteView {
            series_name: Some("Park <jam>"),
            inviter: Some("Ana"),
            email: Some("bo@example.org"),
            expires: Some("8 Dec 2026"),
            state: InviteState::Open {
                accept_action: "/invites/abc/accept".into(),
                signed_in,
                login_href: "/login?next=%2Finvites%2Fabc".into(),
            },
        };
        let html = invite_page(&page(), &open(true)).into_string();
        assert!(html.contains("Ana invited you"));
        assert!(html.contains("bo@example.org") && html.contains("Park &lt;jam&gt;"));
        assert!(html.contains("8 Dec 2026"));
        assert!(
            assert_post_forms_have_csrf(&html, None)
                .iter()
                .any(|a| a == "/invites/abc/accept")
        );
        let html = invite_page(&page(), &open(false)).into_string();
        assert!(!html.contains("/invites/abc/accept"));
        assert!(html.contains(r#"href="/login?next=%2Finvites%2Fabc""#));
        assert!(html.contains("Sign in or sign up to accept"));
    }

    #[test]
    fn closed_invites_say_what_happened_and_what_to_do() {
        for (state, heading) in [
            (InviteState::Expired, "expired"),
            (InviteState::Used, "already used"),
            (InviteState::Revoked, "withdrawn"),
            (InviteState::Invalid, "does not work"),
        ] {
            let html = invite_page(
                &page(),
                &InviteView {
                    series_name: None,
                    inviter: None,
                    email: None,
                    expires: None,
                    state,
                },
            )
            .into_string();
            assert!(html.contains(heading), "{heading}");
            assert!(html.contains("new invite"), "{heading}: no way forward");
        }
        let used = invite_page(
            &page(),
            &InviteView {
                series_name: None,
                inviter: None,
                email: None,
                expires: None,
                state: InviteState::Used,
            },
        )
        .into_string();
        assert!(used.contains(
            "Each invite works once. If you accepted it, the series is already on your dashboard; \
             otherwise ask the series&#39; owner for a new invite."
        ) || used.contains(
            "Each invite works once. If you accepted it, the series is already on your dashboard; \
             otherwise ask the series' owner for a new invite."
        ));
        let html = invite_page(
            &page(),
            &InviteView {
                series_name: Some("Park"),
                inviter: None,
                email: None,
                expires: None,
                state: InviteState::AlreadyOrganizer {
                    series_href: "/jams/s1".into(),
                },
            },
        )
        .into_string();
        assert!(html.contains("already organize") && html.contains(r#"href="/jams/s1""#));
    }

    #[test]
    fn the_photo_form_posts_to_s3_with_the_file_last() {
        let fields = vec![
            ("key".to_owned(), "photos/s1/new".to_owned()),
            ("policy".to_owned(), "eyJ\"x".to_owned()),
            ("x-amz-signature".to_owned(), "abc".to_owned()),
        ];
        let html = photo_form(
            &page(),
            &PhotoFormView {
                series_name: "Park <jam>",
                series_href: "/jams/s1",
                upload_url: "https://bucket.s3.amazonaws.com/",
                fields: &fields,
                current: Some("https://cdn.example/p.webp".into()),
                problem: Some("That file is not a photo."),
                remove_action: "/jams/s1/photo/remove",
                remove_problem: None,
            },
        )
        .into_string();
        let actions = assert_post_forms_have_csrf(&html, Some("https://bucket.s3.amazonaws.com/"));
        assert!(actions.iter().any(|a| a == "/jams/s1/photo/remove"));
        let upload = forms(&html)
            .into_iter()
            .find(|form| form.contains("https://bucket.s3.amazonaws.com/"))
            .unwrap();
        assert!(upload.starts_with(r#"method="post" action="https://bucket.s3.amazonaws.com/" enctype="multipart/form-data""#));
        assert!(
            !upload.contains(r#"name="csrf""#),
            "the token must not leak to S3"
        );
        let names: Vec<&str> = upload
            .split(" name=\"")
            .skip(1)
            .map(|rest| &rest[..rest.find('"').unwrap()])
            .collect();
        assert_eq!(names, ["key", "policy", "x-amz-signature", "file"]);
        assert!(upload.contains(r#"value="eyJ&quot;x""#));
        assert!(upload.contains(r#"accept="image/jpeg,image/png,image/webp""#));
        assert!(
            upload
                .contains("JPEG, PNG or WebP, up to 8 MB. Location data in the photo is removed.")
        );
        assert!(upload.contains(r#"aria-invalid="true""#));
        assert!(upload.contains("That file is not a photo."));
        assert!(
            html.contains(r#"src="https://cdn.example/p.webp""#)
                && html.contains("Park &lt;jam&gt;")
        );
    }

    #[test]
    fn removing_the_photo_takes_a_ticked_box() {
        let view = |remove_problem| PhotoFormView {
            series_name: "Park",
            series_href: "/jams/s1",
            upload_url: "https://bucket.s3.amazonaws.com/",
            current: Some("https://cdn.example/p.webp".into()),
            remove_action: "/jams/s1/photo/remove",
            remove_problem,
            ..PhotoFormView::default()
        };
        let html = photo_form(&page(), &view(None)).into_string();
        let remove = forms(&html)
            .into_iter()
            .find(|form| form.contains("/jams/s1/photo/remove"))
            .unwrap();
        assert!(remove.contains(
            r#"<input type="checkbox" name="confirm" value="yes" class="checkbox checkbox-error">Yes, remove the photo</label>"#
        ));
        assert!(!remove.contains(" required") && !remove.contains("aria-invalid"));
        assert!(
            remove.contains(r#"class="btn btn-sm btn-error""#) && remove.contains("Remove photo")
        );

        let html =
            photo_form(&page(), &view(Some("Tick the box to remove the photo."))).into_string();
        let remove = forms(&html)
            .into_iter()
            .find(|form| form.contains("/jams/s1/photo/remove"))
            .unwrap();
        assert!(remove.contains(
            r#"name="confirm" value="yes" class="checkbox checkbox-error" aria-invalid="true" aria-describedby="remove-photo-note">"#
        ));
        assert!(remove.contains(r#"<p id="remove-photo-note""#));
        assert!(remove.contains("<span>Tick the box to remove the photo.</span>"));

        let without = PhotoFormView {
            current: None,
            ..view(None)
        };
        let html = photo_form(&page(), &without).into_string();
        assert!(!html.contains("/jams/s1/photo/remove"), "nothing to remove");
    }
}
