//! A session's registration table as its organizers see it: counts, filters, one row per
//! person with its actions, the form that messages them and the one that adds someone by hand.

use jamie::{
    bookings::{Attendance, RegistrationStatus},
    outbox::{Audience, Kind, Status},
    values::{Role, RoleChoice},
};
use jiff::{Timestamp, tz::TimeZone};
use maud::{Markup, html};

use super::{attendance_badge, done_notice, quiet_badge, registration_badge};
use crate::{
    Page, Script,
    components::{
        Field, FormState, Tone, alert, checkbox, choice_label, field, note, role_label, select,
        textarea,
    },
    icons,
    layout::{csrf_field, layout},
    pages::{
        deliveries::email_line,
        jams::{RoleCount, back_link},
    },
    when,
};

/// One registration in the organizer's table.
#[derive(Clone, Debug)]
pub struct RegistrationRow {
    pub id: String,
    pub name: String,
    pub email: String,
    pub note: String,
    pub requested: RoleChoice,
    /// The role held when confirmed.
    pub role: Option<Role>,
    pub status: RegistrationStatus,
    /// The waitlist position in the role's queue.
    pub position: Option<u32>,
    pub registered_at: Timestamp,
    /// Added by an organizer.
    pub manual: bool,
    /// Held until its person confirms by email (a series that asks for it).
    pub held: bool,
    /// The page that asks before cancelling for them (a link: one click cancels nothing).
    pub cancel_href: Option<String>,
    /// For a cancelled registration: the POST that enters the person again.
    pub add_back_action: Option<String>,
    /// (label, POST action), e.g. ("Confirm as base", "/jams/…/registrations/{id}/move?to=base").
    pub move_actions: Vec<(String, String)>,
    /// The organizer's page of this registration (audit trail, the person's history).
    pub detail_href: String,
    /// Once marked.
    pub attendance: Option<Attendance>,
    /// (label, POST action) pairs shown once the session has started, e.g. ("Attended", "/jams/…/registrations/{id}/attendance?mark=attended").
    pub attendance_actions: Vec<(String, String)>,
    /// The latest email to them and where it stands (delivered, bounced…), if any.
    pub last_email: Option<(Kind, Status)>,
}

/// The "Message participants" form of a scheduled session.
#[derive(Clone, Debug)]
pub struct MessageView<'a> {
    /// Where the form posts.
    pub action: &'a str,
    /// `audience` and `text` as typed, with their errors.
    pub form: &'a FormState,
    /// How many people each audience is now.
    pub confirmed: u32,
    pub waitlisted: u32,
    /// The longest message, in characters.
    pub max_chars: usize,
    /// Why the last message did not go (too many sent), shown in the form.
    pub problem: Option<&'a str>,
}

/// A session's registrations, as its organizers see them.
#[derive(Clone, Debug)]
pub struct TableView<'a> {
    pub series_name: &'a str,
    /// The organizer's page of the session ("Back to session").
    pub session_href: &'a str,
    /// The session's public page, the link to share.
    pub public_url: &'a str,
    pub date: &'a str,
    pub time: &'a str,
    /// The series' zone, which the rows' times are read in.
    pub zone: &'a TimeZone,
    pub base: RoleCount,
    pub flyer: RoleCount,
    pub waitlist: u32,
    pub rows: Vec<RegistrationRow>,
    /// "" | confirmed | waitlisted | cancelled (query parameter `status`).
    pub status_filter: &'a str,
    /// "" | base | flyer | either (query parameter `role`).
    pub role_filter: &'a str,
    /// Query parameter `q`.
    pub search: &'a str,
    pub next_href: Option<String>,
    /// The CSV of the rows the filters keep.
    pub export_href: &'a str,
    pub checkin_href: &'a str,
    pub add_action: &'a str,
    pub add_form: &'a FormState,
    /// Why the add form's registration did not happen (shown in the form, where the page
    /// scrolls after submitting it).
    pub add_problem: Option<&'a str>,
    /// The message form, while the session is scheduled.
    pub message: Option<MessageView<'a>>,
    /// What the last action did.
    pub notice: Option<&'a str>,
    /// Undoing a cancel the notice reports: the POST that adds the person back.
    pub undo_action: Option<&'a str>,
    pub problem: Option<&'a str>,
    /// Where "Cancel selected" asks before cancelling the ticked rows (a GET: ticking and
    /// pressing cancels nothing yet).
    pub batch_action: &'a str,
}

/// "Bases 3/2" with a calm "1 over" badge when more are confirmed than fit, on one line.
fn table_count(role: &str, count: RoleCount) -> Markup {
    let over = count.over();
    html! {
        span class="inline-flex items-center gap-1.5 whitespace-nowrap" {
            span class="tabular-nums" { (role) " " (count.confirmed) "/" (count.capacity) }
            @if over > 0 {
                span class="badge badge-sm border-base-300 bg-base-100 font-normal" {
                    span class="sr-only" { "— " } (over) " over"
                }
            }
        }
    }
}

/// "Bases 3/10 · Flyers 4/10 · 2 waitlisted", for the table's header.
/// Held registrations count in the others until released; `held` counts the rows shown, so
/// with more pages it says "on this page".
fn table_counts(
    base: RoleCount,
    flyer: RoleCount,
    waitlist: u32,
    held: usize,
    more_pages: bool,
) -> Markup {
    html! {
        p class="flex flex-wrap items-center gap-x-2 gap-y-1" {
            (table_count("Bases", base))
            span aria-hidden="true" { "·" }
            (table_count("Flyers", flyer))
            @if waitlist > 0 {
                span aria-hidden="true" { "·" }
                span class="whitespace-nowrap" { (waitlist) " waitlisted" }
            }
            @if held > 0 {
                span aria-hidden="true" { "·" }
                span class="whitespace-nowrap" {
                    (held) " awaiting email confirmation"
                    @if more_pages { " on this page" }
                }
            }
        }
    }
}

/// A filter `<select>` of the GET form (its own ids: the add form has a `role` field too).
fn filter_select(label: &str, name: &str, options: &[(&str, &str)], selected: &str) -> Markup {
    let id = format!("filter-{name}");
    html! {
        fieldset class="fieldset py-0" {
            label class="fieldset-legend text-sm" for=(id) { (label) }
            select id=(id) name=(name) class="select w-full" {
                @for (value, text) in options {
                    option value=(value) selected[*value == selected] { (text) }
                }
            }
        }
    }
}

/// The label of a table cell, shown on phones where the rows are cards and the head is hidden.
fn cell_label(label: &str) -> Markup {
    html! { span class="md:hidden text-base-content/70" { (label) ": " } }
}

/// The buttons of a table row: the row's non-destructive actions first, then, set apart,
/// "Cancel for them" (a link to its confirmation). At least 44 px tall on phones.
fn row_actions(page: &Page<'_>, row: &RegistrationRow) -> Markup {
    let button = "btn btn-sm max-md:min-h-11";
    html! {
        div class="flex flex-wrap items-center gap-2 mt-2 md:mt-0" {
            @for (label, action) in row.attendance_actions.iter().chain(&row.move_actions) {
                form method="post" action=(action) {
                    (csrf_field(page.csrf))
                    button type="submit" class=(button) {
                        (label) span class="sr-only" { " — " (row.name) }
                    }
                }
            }
            @if let Some(action) = &row.add_back_action {
                form method="post" action=(action) {
                    (csrf_field(page.csrf))
                    button type="submit" class=(button) {
                        "Add them back" span class="sr-only" { " — " (row.name) }
                    }
                }
            }
            @if let Some(href) = &row.cancel_href {
                div class="max-md:w-full max-md:border-t max-md:border-base-300 max-md:pt-3 max-md:mt-1 md:ml-2 md:border-l md:border-base-300 md:pl-3" {
                    a href=(href) class="btn btn-sm btn-error max-md:min-h-11" {
                        "Cancel for them" span class="sr-only" { " — " (row.name) }
                    }
                }
            }
        }
    }
}

pub fn registrations_table(page: &Page<'_>, view: &TableView<'_>) -> Markup {
    let filtered =
        !(view.status_filter.is_empty() && view.role_filter.is_empty() && view.search.is_empty());
    let page = &page.clone().script(Script::Organizer);
    layout(
        page,
        html! {
            section class="flex flex-col gap-5" aria-labelledby="registrations-title" {
                (back_link(view.session_href, "Back to session"))
                @if let Some(notice) = view.notice { (done_notice(page, notice, view.undo_action)) }
                @if let Some(problem) = view.problem { (alert(Tone::Error, problem)) }
                header class="flex flex-col gap-2" {
                    h1 id="registrations-title" class="text-3xl font-bold" { "Registrations" }
                    p class="break-words" {
                        span class="font-semibold" { (view.series_name) } " · " (view.date) " · "
                        span class="tabular-nums whitespace-nowrap" { (view.time) }
                    }
                    (table_counts(view.base, view.flyer, view.waitlist,
                        view.rows.iter().filter(|row| row.held && row.status != RegistrationStatus::Cancelled).count(),
                        view.next_href.is_some()))
                }
                nav class="flex flex-wrap gap-2" aria-label="Registrations tools" {
                    a href="#add-someone" class="btn btn-sm btn-primary max-md:min-h-11" { (icons::plus("size-4")) "Add someone" }
                    @if view.message.is_some() {
                        a href="#message-people" class="btn btn-sm max-md:min-h-11" { (icons::envelope("size-4")) "Message participants" }
                    }
                    a href=(view.checkin_href) class="btn btn-sm max-md:min-h-11" { (icons::ticket("size-4")) "Check-in list" }
                    a href=(view.export_href) class="btn btn-sm max-md:min-h-11" { (icons::arrow_down_tray("size-4")) "Export CSV" }
                }
                form method="get" action=(page.path) role="search" aria-label="Filter registrations"
                    class="card bg-base-200 card-body grid gap-x-3 gap-y-1 sm:grid-cols-2 lg:grid-cols-4 lg:items-end" {
                    (filter_select("Status", "status", &[
                        ("", "All statuses"),
                        ("confirmed", "Confirmed"),
                        ("waitlisted", "Waitlisted"),
                        ("cancelled", "Cancelled"),
                    ], view.status_filter))
                    (filter_select("Role", "role", &[
                        ("", "All roles"),
                        ("base", "Base"),
                        ("flyer", "Flyer"),
                        ("either", "Either"),
                    ], view.role_filter))
                    fieldset class="fieldset py-0" {
                        label class="fieldset-legend text-sm" for="filter-q" { "Name or email" }
                        input id="filter-q" name="q" type="search" value=(view.search)
                            maxlength="254" autocomplete="off" class="input w-full";
                    }
                    div class="flex gap-2 mt-2 lg:mt-0 lg:pb-1" {
                        button type="submit" class="btn btn-primary" { (icons::magnifying_glass("size-4")) "Filter" }
                        @if filtered { a href=(page.path) class="btn btn-ghost" { "Show all" } }
                    }
                }
                @if view.rows.is_empty() {
                    div class="card bg-base-200 card-body gap-2" {
                        @if filtered {
                            p { "No registrations match these filters. Try another status, role or search, or show them all." }
                        } @else {
                            p { "No one has registered yet. Share the public page, or add someone who asked you directly." }
                            p class="text-sm" {
                                "Public page: "
                                a href=(view.public_url) class="link link-primary break-all" { (view.public_url) }
                            }
                        }
                    }
                } @else {
                    (rows_table(page, &view.rows, view.zone))
                    @if view.rows.iter().any(|row| row.cancel_href.is_some()) {
                        // The rows' boxes belong to this form by its id (rows hold forms of
                        // their own, which cannot nest).
                        form id="batch-cancel" method="get" action=(view.batch_action) class="flex flex-wrap items-center gap-3" {
                            button type="submit" class="btn btn-sm btn-error btn-outline max-md:min-h-11" { "Cancel selected" }
                            span class="text-sm text-base-content/70" { "Tick people in the table, then cancel them together. You confirm on the next page." }
                        }
                    }
                }
                @if let Some(next) = &view.next_href {
                    a href=(next) class="btn btn-ghost btn-sm self-start" { "Next 50" (icons::chevron_right("size-4")) }
                }
                @if let Some(message) = &view.message { (message_form(page, message)) }
                (add_form(page, view))
            }
        },
    )
}

/// "Confirmed (12)": an audience with how many people it is now.
fn audience_label(audience: Audience, message: &MessageView<'_>) -> String {
    let (name, count) = match audience {
        Audience::Confirmed => ("Everyone confirmed", message.confirmed),
        Audience::Waitlisted => ("Everyone on the waitlist", message.waitlisted),
        Audience::Everyone => (
            "Everyone, confirmed and waitlisted",
            message.confirmed + message.waitlisted,
        ),
    };
    format!("{name} ({count})")
}

/// Writing to the people of the session: whom (with the counts), the words (with their count
/// of characters, kept current by `jams.js`) and the button. The form's address ends in
/// `#message-people`, so a refusal opens here with the focus on the field concerned.
fn message_form(page: &Page<'_>, message: &MessageView<'_>) -> Markup {
    let form = message.form;
    let labels: Vec<(&str, String)> = Audience::ALL
        .into_iter()
        .map(|audience| (audience.as_str(), audience_label(audience, message)))
        .collect();
    let options: Vec<(&str, &str)> = labels
        .iter()
        .map(|(value, label)| (*value, label.as_str()))
        .collect();
    let text = form.value("text");
    let error = form.error("text");
    let max = message.max_chars.to_string();
    html! {
        section id="message-people" class="card bg-base-200 scroll-mt-4" aria-labelledby="message-title" {
            form method="post" action={ (message.action) "#message-people" } class="card-body gap-1" novalidate {
                h2 id="message-title" class="card-title" { "Message participants" }
                p class="text-sm" { "A short note by email, from you, e.g. “Bring a mat; we start 15 minutes late.” Each person gets it once, with the session's time and place." }
                @if let Some(problem) = message.problem {
                    div id="message-people-error" { (alert(Tone::Error, problem)) }
                }
                (csrf_field(page.csrf))
                (select("Send to", "audience", &options, form, None))
                fieldset class="fieldset" {
                    label class="fieldset-legend text-sm" for="field-text" {
                        "Message" (crate::components::required_marker())
                    }
                    textarea id="field-text" name="text" rows="4" maxlength=(max) required
                        data-count="message-count"
                        class={ "textarea w-full" @if error.is_some() { " textarea-error" } }
                        aria-invalid=[error.map(|_| "true")]
                        aria-describedby="field-text-note message-count" { (text) }
                    (note("field-text-note", error, Some("Plain text; links become clickable.")))
                    p id="message-count" class="text-sm text-base-content/70 tabular-nums" {
                        (text.chars().count()) " of " (thousands(message.max_chars)) " characters"
                    }
                }
                div class="card-actions justify-end mt-2" {
                    button type="submit" class="btn btn-primary max-md:min-h-11" { (icons::envelope("size-4")) "Send message" }
                }
            }
        }
    }
}

/// "1,000".
fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, digit) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(digit);
    }
    out
}

/// The table; below `md` its rows are cards and each cell carries its own label.
fn rows_table(page: &Page<'_>, rows: &[RegistrationRow], zone: &TimeZone) -> Markup {
    html! {
        div class="md:overflow-x-auto" {
            table class="table block md:table" {
                caption class="sr-only" { "Registrations" }
                thead class="hidden md:table-header-group" {
                    tr {
                        th scope="col" { "Person" }
                        th scope="col" { "Asked for" }
                        th scope="col" { "Role" }
                        th scope="col" { "Status" }
                        th scope="col" { "Registered" }
                        th scope="col" { "Actions" }
                    }
                }
                tbody class="flex flex-col gap-3 md:table-row-group" {
                    @for row in rows {
                        tr id={ "r-" (row.id) } class="flex flex-col gap-1 rounded-box bg-base-200 p-4 md:table-row md:bg-transparent md:p-0" {
                            td class="p-0 md:p-3 max-md:border-b-0 align-top min-w-0" {
                                div class="flex flex-wrap items-center gap-2" {
                                    @if row.cancel_href.is_some() {
                                        input type="checkbox" name="r" value=(row.id) form="batch-cancel"
                                            class="checkbox checkbox-sm max-md:size-6"
                                            aria-label={ "Select " (row.name) };
                                    }
                                    @if row.detail_href.is_empty() {
                                        span class="font-semibold break-words" { (row.name) }
                                    } @else {
                                        a href=(row.detail_href) class="link font-semibold break-words" { (row.name) }
                                    }
                                    @if row.manual { span class="text-xs text-base-content/70" { "Added by an organizer" } }
                                }
                                div class="text-sm break-all" { (row.email) }
                                @if let Some((about, status)) = &row.last_email { (email_line(about, *status)) }
                                @if !row.note.trim().is_empty() {
                                    p class="text-sm mt-1 whitespace-pre-line break-words max-w-prose" {
                                        span class="font-semibold" { "Note: " } (row.note)
                                    }
                                }
                            }
                            td class="p-0 md:p-3 max-md:border-b-0 align-top" { (cell_label("Asked for")) (choice_label(row.requested)) }
                            td class="p-0 md:p-3 max-md:border-b-0 align-top" {
                                (cell_label("Role"))
                                @if let Some(role) = row.role { (role_label(role)) } @else { "—" }
                            }
                            td class="p-0 md:p-3 max-md:border-b-0 align-top" {
                                div class="flex flex-wrap items-center gap-1" {
                                    (registration_badge(row.status, row.position))
                                    @if row.held && row.status != RegistrationStatus::Cancelled {
                                        (quiet_badge("bg-info", html! { "Awaiting email confirmation" }))
                                    }
                                    @if let Some(attendance) = row.attendance { (attendance_badge(attendance)) }
                                }
                            }
                            td class="p-0 md:p-3 max-md:border-b-0 align-top text-sm md:whitespace-nowrap" { (cell_label("Registered")) (when::moment(row.registered_at, zone)) }
                            td class="p-0 md:p-3 max-md:border-b-0 align-top" { (row_actions(page, row)) }
                        }
                    }
                }
            }
        }
    }
}

/// Entering someone by hand. The form's address ends in `#add-someone`, so the page it
/// answers with (errors beside the fields) opens here and not at the top.
fn add_form(page: &Page<'_>, view: &TableView<'_>) -> Markup {
    let form = view.add_form;
    html! {
        section id="add-someone" class="card bg-base-200 scroll-mt-4" aria-labelledby="add-title" {
            form method="post" action={ (view.add_action) "#add-someone" } class="card-body gap-1" novalidate {
                h2 id="add-title" class="card-title" { "Add someone" }
                p class="text-sm" { "For someone who asked you directly. They are confirmed while their role has room, otherwise waitlisted, and get the confirmation email with their cancel link." }
                @if let Some(problem) = view.add_problem {
                    div id="add-someone-error" tabindex="-1" { (alert(Tone::Error, problem)) }
                }
                (csrf_field(page.csrf))
                div class="grid gap-x-4 sm:grid-cols-2" {
                    (field(Field {
                        required: true,
                        max_length: 100,
                        ..Field::from_state("Name", "name", form)
                    }))
                    (field(Field {
                        kind: "email",
                        required: true,
                        max_length: 254,
                        ..Field::from_state("Email", "email", form)
                    }))
                }
                (select("Role", "role", &[("base", "Base"), ("flyer", "Flyer"), ("either", "Either")], form, None))
                (textarea("Note", "note", form, None, 1000))
                (checkbox(form, "override", html! { "Confirm even if the role is full" }, false, None))
                div class="card-actions justify-end mt-2" {
                    button type="submit" class="btn btn-primary max-md:min-h-11" { (icons::plus("size-4")) "Add" }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::test_support::{assert_error_beside, berlin, forms, page, post_actions, state, tag};

    /// A row with nothing set, for the fields a test does not care about.
    fn blank() -> RegistrationRow {
        RegistrationRow {
            id: String::new(),
            name: String::new(),
            email: String::new(),
            note: String::new(),
            requested: RoleChoice::Base,
            role: None,
            status: RegistrationStatus::Confirmed,
            position: None,
            registered_at: Timestamp::UNIX_EPOCH,
            manual: false,
            held: false,
            cancel_href: None,
            add_back_action: None,
            move_actions: vec![],
            detail_href: String::new(),
            attendance: None,
            attendance_actions: vec![],
            last_email: None,
        }
    }

    fn table_view<'a>(add_form: &'a FormState, rows: Vec<RegistrationRow>) -> TableView<'a> {
        TableView {
            zone: berlin(),
            series_name: "Park <jam>",
            session_href: "/jams/s1/sessions/d1",
            public_url: "http://127.0.0.1:3000/s/d1",
            date: "Tue 1 Dec 2026",
            time: "19:00–21:00",
            base: RoleCount {
                confirmed: 7,
                capacity: 10,
            },
            flyer: RoleCount {
                confirmed: 10,
                capacity: 10,
            },
            waitlist: 1,
            rows,
            status_filter: "waitlisted",
            role_filter: "either",
            search: "ana\"<",
            next_href: Some(
                "/jams/s1/sessions/d1/registrations?after=abc&status=waitlisted".into(),
            ),
            export_href: "/jams/s1/sessions/d1/registrations.csv",
            checkin_href: "/jams/s1/sessions/d1/checkin",
            add_action: "/jams/s1/sessions/d1/registrations",
            add_form,
            add_problem: None,
            message: None,
            notice: Some("Moved."),
            undo_action: None,
            problem: None,
            batch_action: "/jams/s1/sessions/d1/registrations/cancel-selected",
        }
    }

    fn rows() -> Vec<RegistrationRow> {
        vec![
            RegistrationRow {
                id: "r1".into(),
                name: "Ana <x>".into(),
                email: "ana@example.org".into(),
                note: "first <jam>".into(),
                requested: RoleChoice::Either,
                role: None,
                status: RegistrationStatus::Waitlisted,
                position: Some(2),
                registered_at: "2026-11-01T09:00:00Z".parse().unwrap(),
                manual: true,
                held: true,
                cancel_href: Some("/jams/s1/sessions/d1/registrations/r1/cancel".into()),
                add_back_action: None,
                move_actions: vec![(
                    "Confirm as base".into(),
                    "/jams/s1/sessions/d1/registrations/r1/move?to=base".into(),
                )],
                detail_href: "/jams/s1/sessions/d1/registrations/r1".into(),
                attendance: None,
                attendance_actions: vec![],
                last_email: Some((
                    Kind::Waitlisted {
                        session: jamie::ids::SessionId::generate(),
                        registration: jamie::ids::RegistrationId::generate(),
                    },
                    Status::Bounced,
                )),
            },
            RegistrationRow {
                id: "r2".into(),
                name: "Bo".into(),
                status: RegistrationStatus::Cancelled,
                requested: RoleChoice::Flyer,
                ..blank()
            },
        ]
    }

    /// Rows once the session has started: attendance marked or to mark.
    fn started_rows() -> Vec<RegistrationRow> {
        let base = "/jams/s1/sessions/d1/registrations";
        vec![
            RegistrationRow {
                id: "r1".into(),
                name: "Ana <script>".into(),
                email: "ana@example.org".into(),
                requested: RoleChoice::Base,
                role: Some(Role::Base),
                status: RegistrationStatus::Confirmed,
                detail_href: format!("{base}/r1"),
                attendance: Some(Attendance::Attended),
                attendance_actions: vec![(
                    "No-show".into(),
                    format!("{base}/r1/attendance?mark=no_show"),
                )],
                ..blank()
            },
            RegistrationRow {
                id: "r2".into(),
                name: "Bo".into(),
                requested: RoleChoice::Flyer,
                role: Some(Role::Flyer),
                status: RegistrationStatus::Confirmed,
                detail_href: format!("{base}/r2"),
                attendance: Some(Attendance::NoShow),
                ..blank()
            },
            RegistrationRow {
                id: "r3".into(),
                name: "Cy".into(),
                requested: RoleChoice::Either,
                role: Some(Role::Flyer),
                status: RegistrationStatus::Confirmed,
                detail_href: format!("{base}/r3"),
                attendance: None,
                attendance_actions: vec![
                    (
                        "Attended".into(),
                        format!("{base}/r3/attendance?mark=attended"),
                    ),
                    (
                        "No-show".into(),
                        format!("{base}/r3/attendance?mark=no_show"),
                    ),
                ],
                ..blank()
            },
        ]
    }

    #[test]
    fn the_registration_table_links_each_person_and_marks_attendance() {
        let add_form = FormState::default();
        let html =
            registrations_table(&page(), &table_view(&add_form, started_rows())).into_string();
        assert!(html.contains(
            r#"<a href="/jams/s1/sessions/d1/registrations/r1" class="link font-semibold break-words">Ana &lt;script&gt;</a>"#
        ));
        assert!(html.contains(r#"href="/jams/s1/sessions/d1/registrations/r2""#));
        assert!(!html.contains("<script>"));
        assert!(html.contains(
            r#"<span class="badge badge-sm gap-1.5 whitespace-nowrap border-base-300 bg-base-100 font-normal"><span class="size-2 shrink-0 rounded-full bg-success" aria-hidden="true"></span>Attended</span>"#
        ));
        assert!(html.contains(
            r#"<span class="badge badge-sm gap-1.5 whitespace-nowrap border-base-300 bg-base-100 font-normal"><span class="size-2 shrink-0 rounded-full bg-error" aria-hidden="true"></span>No-show</span>"#
        ));
        let actions = post_actions(&html);
        for action in [
            "/jams/s1/sessions/d1/registrations/r1/attendance?mark=no_show",
            "/jams/s1/sessions/d1/registrations/r3/attendance?mark=attended",
            "/jams/s1/sessions/d1/registrations/r3/attendance?mark=no_show",
        ] {
            assert!(actions.iter().any(|a| a == action), "no form to {action}");
        }
        assert!(html.contains(
            r#"class="btn btn-sm max-md:min-h-11">No-show<span class="sr-only"> — Ana &lt;script&gt;</span></button>"#
        ));
        assert!(
            html.contains(
                r#"class="btn btn-sm max-md:min-h-11">Attended<span class="sr-only"> — Cy</span></button>"#
            )
        );
        assert_eq!(
            html.matches("/attendance?mark=").count(),
            3,
            "Bo is marked and has no actions"
        );

        // A row without a page of its own (no href) shows the name as text.
        let html = registrations_table(&page(), &table_view(&add_form, rows())).into_string();
        assert!(html.contains(r#"<span class="font-semibold break-words">Bo</span>"#));
        assert!(!html.contains("Attended") && !html.contains("No-show"));
    }

    #[test]
    fn the_registration_table_filters_lists_and_acts() {
        let add_form = FormState::default();
        let html = registrations_table(&page(), &table_view(&add_form, rows())).into_string();
        let actions = post_actions(&html);
        for action in [
            "/jams/s1/sessions/d1/registrations/r1/move?to=base",
            "/jams/s1/sessions/d1/registrations#add-someone",
        ] {
            assert!(actions.iter().any(|a| a == action), "no form to {action}");
        }
        let filter = forms(&html)
            .into_iter()
            .find(|form| form.contains(r#"role="search""#))
            .unwrap();
        assert!(filter.starts_with(r#"method="get" action="/s/d1""#));
        assert!(!filter.contains(r#"name="csrf""#), "no token in URLs");
        assert!(filter.contains(r#"<option value="waitlisted" selected>Waitlisted</option>"#));
        assert!(filter.contains(r#"<option value="either" selected>Either</option>"#));
        assert!(filter.contains(r#"name="q" type="search" value="ana&quot;&lt;""#));
        assert!(filter.contains(">Name or email</label>"));
        assert!(html.contains("Bases 7/10") && html.contains("1 waitlisted"));
        let ana = &html[html.find(r#"id="r-r1""#).unwrap()..html.find(r#"id="r-r2""#).unwrap()];
        assert!(
            ana.contains("Waitlist email · bounced — we no longer email this address"),
            "Ana's row says her email bounced"
        );
        assert!(html.contains(r#"href="/jams/s1/sessions/d1/registrations.csv""#));
        assert!(html.contains("Export CSV") && html.contains("Check-in list"));
        assert!(html.contains(r#"href="/jams/s1/sessions/d1/checkin""#));
        assert!(html.contains(
            r#"href="/jams/s1/sessions/d1/registrations?after=abc&amp;status=waitlisted""#
        ));
        assert!(html.contains("Next 50"));
        assert!(html.contains("Ana &lt;x&gt;") && html.contains("first &lt;jam&gt;"));
        assert!(!html.contains("<x>") && !html.contains("<jam>"));
        assert!(html.contains(
            r#"<span class="badge badge-sm gap-1.5 whitespace-nowrap border-base-300 bg-base-100 font-normal"><span class="size-2 shrink-0 rounded-full bg-warning" aria-hidden="true"></span>Waitlisted #2</span>"#
        ));
        assert!(
            html.contains(
                r#"<span class="badge badge-sm gap-1.5 whitespace-nowrap border-base-300 bg-base-100 font-normal"><span class="size-2 shrink-0 rounded-full bg-base-content/40" aria-hidden="true"></span>Cancelled</span>"#
            )
        );
        assert!(html.contains("Added by an organizer"));
        assert!(html.contains(
            r#"<a href="/jams/s1/sessions/d1/registrations/r1/cancel" class="btn btn-sm btn-error max-md:min-h-11">Cancel for them<span class="sr-only"> — Ana &lt;x&gt;</span>"#
        ));
        assert!(html.contains(
            r#"class="btn btn-sm max-md:min-h-11">Confirm as base<span class="sr-only">"#
        ));
        assert_eq!(
            html.matches("Cancel for them").count(),
            1,
            "Bo has no actions"
        );
        assert!(html.contains(
            r#"<a href="/jams/s1/sessions/d1/registrations/r1" class="link font-semibold break-words">Ana &lt;x&gt;</a>"#
        ));
        assert!(html.contains("Moved."));
        assert!(html.contains(r#"<thead class="hidden md:table-header-group">"#));
    }

    #[test]
    fn the_add_form_keeps_values_and_puts_errors_beside_fields() {
        let add_form = state(
            &[
                ("name", "Cy <c>"),
                ("email", "cy@"),
                ("role", "flyer"),
                ("note", "door <list>"),
                ("override", "yes"),
            ],
            &[
                ("name", "Give a name."),
                ("email", "Enter an email address."),
                ("role", "Choose a role."),
                ("note", "Too long."),
                ("override", "Only owners may."),
            ],
        );
        let html = registrations_table(&page(), &table_view(&add_form, vec![])).into_string();
        assert!(html.contains("No registrations match these filters."));
        assert!(!html.contains("No one has registered yet"));
        assert!(
            html.contains(r#"value="Cy &lt;c&gt;""#)
                && html.contains(">door &lt;list&gt;</textarea>")
        );
        assert!(html.contains(r#"<option value="flyer" selected>Flyer</option>"#));
        let check = tag(&html, "field-override");
        assert!(check.contains(r#"type="checkbox" name="override" value="yes""#));
        assert!(check.contains(" checked") && !check.contains(" required"));
        assert!(html.contains("Confirm even if the role is full"));
        for (id, error) in [
            ("field-name", "Give a name."),
            ("field-email", "Enter an email address."),
            ("field-role", "Choose a role."),
            ("field-note", "Too long."),
            ("field-override", "Only owners may."),
        ] {
            assert_error_beside(&html, id, error);
        }
        let unfiltered = TableView {
            status_filter: "",
            role_filter: "",
            search: "",
            next_href: None,
            ..table_view(&add_form, vec![])
        };
        let html = registrations_table(&page(), &unfiltered).into_string();
        assert!(html.contains("No one has registered yet.") && !html.contains("Next 50"));
        assert!(html.contains(
            r#"<a href="http://127.0.0.1:3000/s/d1" class="link link-primary break-all">http://127.0.0.1:3000/s/d1</a>"#
        ));
        assert!(!html.contains("Show all"));
    }

    #[test]
    fn the_table_links_back_and_over_capacity_stays_on_its_line() {
        let add_form = FormState::default();
        let view = TableView {
            base: RoleCount {
                confirmed: 3,
                capacity: 2,
            },
            notice: Some("Ana's spot is cancelled."),
            undo_action: Some("/jams/s1/sessions/d1/registrations/r1/add-back"),
            add_problem: Some("This session is cancelled, so nobody can be added."),
            ..table_view(&add_form, rows())
        };
        let html = registrations_table(&page(), &view).into_string();
        assert!(html.contains(r#"<a href="/jams/s1/sessions/d1" class="link"#));
        assert!(html.contains("Back to session</a>"));
        assert!(
            html.contains(r##"<a href="#add-someone""##)
                && html.contains(r#"<section id="add-someone""#)
        );
        assert!(html.contains(r#"action="/jams/s1/sessions/d1/registrations#add-someone""#));
        assert!(html.contains(r#"<span class="tabular-nums">Bases 3/2</span>"#));
        assert!(html.contains(r#"<span class="sr-only">— </span>1 over</span>"#));
        assert!(!html.contains("alert-warning"));
        let actions = post_actions(&html);
        assert!(
            actions
                .iter()
                .any(|a| a == "/jams/s1/sessions/d1/registrations/r1/add-back")
        );
        assert!(html.contains("Add them back"));
        let form = html.split(r#"<section id="add-someone""#).nth(1).unwrap();
        assert!(form.contains(r#"id="add-someone-error""#) && form.contains("nobody can be added"));
    }

    #[test]
    fn the_message_form_counts_each_audience_and_keeps_what_was_typed() {
        let add_form = FormState::default();
        let typed = state(
            &[("audience", "waitlisted"), ("text", "Bring <a> mat")],
            &[(
                "text",
                "At most 1,000 characters, please: shorten it a little.",
            )],
        );
        let view = TableView {
            message: Some(MessageView {
                action: "/jams/s1/sessions/d1/message",
                form: &typed,
                confirmed: 17,
                waitlisted: 1,
                max_chars: 1000,
                problem: Some("You can send the next one at 20:00."),
            }),
            ..table_view(&add_form, rows())
        };
        let html = registrations_table(&page(), &view).into_string();
        assert!(
            html.contains(r##"<a href="#message-people""##)
                && html.contains("Message participants")
        );
        assert!(
            post_actions(&html)
                .iter()
                .any(|a| a == "/jams/s1/sessions/d1/message#message-people")
        );
        assert!(html.contains(r#"<option value="confirmed">Everyone confirmed (17)</option>"#));
        assert!(html.contains(
            r#"<option value="waitlisted" selected>Everyone on the waitlist (1)</option>"#
        ));
        assert!(html.contains(
            r#"<option value="everyone">Everyone, confirmed and waitlisted (18)</option>"#
        ));
        let text = tag(&html, "field-text");
        assert!(text.contains(r#"maxlength="1000""#) && text.contains(" required"));
        assert!(text.contains(r#"aria-invalid="true""#));
        assert!(text.contains(r#"aria-describedby="field-text-note message-count""#));
        assert!(
            html.contains(">Bring &lt;a&gt; mat</textarea>"),
            "what was typed is kept"
        );
        let note = html.split(r#"id="field-text-note""#).nth(1).unwrap();
        assert!(note[..note.find("</p>").unwrap()].contains("At most 1,000 characters"));
        assert!(html.contains(">13 of 1,000 characters</p>"));
        let form = html
            .split(r#"<section id="message-people""#)
            .nth(1)
            .unwrap();
        assert!(form.contains(r#"role="alert""#) && form.contains("the next one at 20:00"));
        assert!(
            html.contains("/assets/jams."),
            "the character count is kept by jams.js"
        );

        // No form for a session that is no longer scheduled.
        let html = registrations_table(&page(), &table_view(&add_form, rows())).into_string();
        assert!(!html.contains("message-people") && !html.contains("Message participants"));
    }

    #[test]
    fn a_thousand_is_written_with_its_comma() {
        assert_eq!(thousands(1000), "1,000");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(1234567), "1,234,567");
    }
}
