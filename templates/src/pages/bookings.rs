//! Registrations. Participants see a session with its registration form, the page after
//! registering, the page their private cancel link opens and a series' upcoming dates;
//! organizers see a session's registration table and a printable check-in list.

use maud::{Markup, html};

use crate::{
    Page, Script, Social,
    components::{
        Field, FormState, Tone, alert, field, note, required_marker, rich_text, select, textarea,
    },
    icons,
    layout::{csrf_field, layout},
    pages::jams::{RoleCount, back_link, detail, place},
};

/// Where a session stands for participants.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum PublicState {
    #[default]
    Open,
    /// Registration closed: the session started or is past the cut-off.
    Closed,
    Cancelled,
    Completed,
}

impl PublicState {
    pub fn label(self) -> &'static str {
        match self {
            Self::Open => "Open",
            Self::Closed => "Registration closed",
            Self::Cancelled => "Cancelled",
            Self::Completed => "Took place",
        }
    }

    /// Whether the counts still tell anyone something (not once cancelled or over).
    fn counts_matter(self) -> bool {
        matches!(self, Self::Open | Self::Closed)
    }

    /// Solid badges: the soft ones are too faint on light backgrounds.
    fn badge_class(self) -> &'static str {
        match self {
            Self::Open => "badge badge-success",
            Self::Closed | Self::Completed => "badge badge-neutral",
            Self::Cancelled => "badge badge-error",
        }
    }
}

/// The badge naming where a session stands.
fn state_badge(state: PublicState) -> Markup {
    html! { span class=(state.badge_class()) { (state.label()) } }
}

/// "Bases 7/10 · Flyers 10/10 (full) · 3 on the waitlist": what participants see of the counts
/// (a role at or over capacity says "full", and never shows more confirmed than fit: an
/// organizer's choice to confirm over capacity is theirs to see; no waitlist part when nobody
/// waits). Also for [`SeriesSessionLink::counts`].
pub fn counts_text(base: RoleCount, flyer: RoleCount, waitlist: u32) -> String {
    let role = |name: &str, count: RoleCount| {
        if is_full(count) {
            format!("{name} {}/{} (full)", count.capacity, count.capacity)
        } else {
            format!("{name} {}/{}", count.confirmed, count.capacity)
        }
    };
    let mut line = format!("{} · {}", role("Bases", base), role("Flyers", flyer));
    if waitlist > 0 {
        line.push_str(&format!(" · {waitlist} on the waitlist"));
    }
    line
}

/// Whether a role has no spot left for newcomers.
fn is_full(count: RoleCount) -> bool {
    count.confirmed >= count.capacity
}

/// Whether a newcomer can only join the waitlist: both roles are full.
fn both_full(base: RoleCount, flyer: RoleCount) -> bool {
    is_full(base) && is_full(flyer)
}

/// "Ana", "Ana and Bo", "Ana, Bo and Cy".
fn names(list: &[String]) -> String {
    match list {
        [] => String::new(),
        [one] => one.clone(),
        [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
    }
}

/// "Organized by …", when anyone is named.
fn organized_by(organizers: &[String]) -> Markup {
    html! {
        @if !organizers.is_empty() {
            p class="flex items-start gap-2" {
                (icons::user_group("size-5 shrink-0 text-primary"))
                span class="min-w-0 break-words" { "Organized by " (names(organizers)) }
            }
        }
    }
}

/// A photo across the page; decorative, the heading names the jam.
fn photo(url: Option<&str>) -> Markup {
    html! {
        @if let Some(url) = url {
            img src=(url) alt="" class="w-full aspect-video object-cover rounded-box";
        }
    }
}

/// A session as participants see it, with the registration form while it is open.
#[derive(Clone, Debug)]
pub struct PublicSessionView<'a> {
    pub series_name: &'a str,
    /// The public series page, `/series/{id}`.
    pub series_href: &'a str,
    /// The absolute URL of this page (`og:url`).
    pub url: &'a str,
    /// The absolute URL of the 1600 px photo (`og:image`), also shown on the page.
    pub photo: Option<String>,
    /// e.g. "Tue 1 Dec 2026".
    pub date: &'a str,
    /// e.g. "19:00–21:00".
    pub time: &'a str,
    pub time_zone: &'a str,
    pub venue: &'a str,
    pub address: &'a str,
    pub maps_url: &'a str,
    pub cost: &'a str,
    /// Rendered with [`rich_text`].
    pub description: &'a str,
    pub level_notes: &'a str,
    /// The session's own note.
    pub note: &'a str,
    pub organizers: &'a [String],
    pub base: RoleCount,
    pub flyer: RoleCount,
    pub waitlist: u32,
    pub state: PublicState,
    pub cancel_reason: Option<&'a str>,
    /// `POST /s/{id}/register`.
    pub register_action: &'a str,
    pub form: &'a FormState,
    pub problem: Option<&'a str>,
    /// A second registration for the same email: this message plus a "resend my confirmation"
    /// form (POST `resend_action` with hidden email) is shown instead of the success.
    pub duplicate: Option<&'a str>,
    /// A note on top after a quiet success (the resend form).
    pub notice: Option<&'a str>,
    pub resend_action: &'a str,
}

/// The link preview of a session: "Park Jam · Tue 1 Dec 2026" and when, where and how full.
fn session_social_text(view: &PublicSessionView<'_>) -> (String, String) {
    let title = format!("{} · {}", view.series_name, view.date);
    let mut description = String::new();
    if view.state == PublicState::Cancelled {
        description.push_str("Cancelled: ");
    }
    description.push_str(&format!("{}, {}", view.date, view.time));
    if !view.time_zone.is_empty() {
        description.push_str(&format!(" ({})", view.time_zone));
    }
    let place = if view.venue.is_empty() {
        view.address
    } else {
        view.venue
    };
    if !place.is_empty() {
        description.push_str(&format!(" at {place}"));
    }
    description.push('.');
    if view.state.counts_matter() {
        description.push_str(&format!(
            " {}.",
            counts_text(view.base, view.flyer, view.waitlist)
        ));
    }
    (title, description)
}

/// The session page. Adds the OpenGraph and Twitter card tags from the view unless `page`
/// already has some.
pub fn public_session(page: &Page<'_>, view: &PublicSessionView<'_>) -> Markup {
    let (title, description) = session_social_text(view);
    let mut page: Page<'_> = page.clone();
    if page.social.is_none() {
        page = page.social(Social {
            title: &title,
            description: &description,
            url: view.url,
            image: view.photo.as_deref(),
        });
    }
    let cancelled = view.state == PublicState::Cancelled;
    layout(
        &page,
        html! {
            article class="max-w-2xl mx-auto flex flex-col gap-6" aria-labelledby="session-title" {
                (photo(view.photo.as_deref()))
                header class="flex flex-col gap-2" {
                    h1 id="session-title" class="text-3xl font-bold break-words" { (view.series_name) }
                    p class="flex flex-wrap items-center gap-x-2 gap-y-1 text-lg" {
                        (icons::calendar_days("size-5 shrink-0 text-primary"))
                        span class={ "font-semibold" @if cancelled { " line-through" } } { (view.date) }
                        span class="tabular-nums whitespace-nowrap" { (view.time) }
                        @if !view.time_zone.is_empty() {
                            span class="text-base text-base-content/70" { "(" (view.time_zone) ")" }
                        }
                        @if view.state != PublicState::Open { (state_badge(view.state)) }
                    }
                }
                dl class="card bg-base-200 card-body gap-3" {
                    @if !(view.venue.is_empty() && view.address.is_empty() && view.maps_url.is_empty()) {
                        (detail(icons::map_pin("size-5"), "Place", place(view.venue, view.address, view.maps_url)))
                    }
                    @if !view.cost.is_empty() {
                        (detail(icons::banknotes("size-5"), "Price", html! { (view.cost) }))
                    }
                    @if view.state.counts_matter() {
                        (detail(icons::users("size-5"), "Spots", html! {
                            span { (counts_text(view.base, view.flyer, view.waitlist)) }
                        }))
                    }
                    @if !view.level_notes.trim().is_empty() {
                        (detail(icons::sparkles("size-5"), "Level", html! {
                            div class="flex flex-col gap-2" { (rich_text(view.level_notes)) }
                        }))
                    }
                }
                @if !view.note.trim().is_empty() {
                    div class="alert items-start" {
                        (icons::information_circle("size-5 shrink-0"))
                        div class="flex flex-col gap-2 min-w-0 break-words" { (rich_text(view.note)) }
                    }
                }
                (registration(&page, view))
                @if !view.description.trim().is_empty() {
                    section class="flex flex-col gap-3" aria-labelledby="about-title" {
                        h2 id="about-title" class="text-2xl font-bold" { "About this jam" }
                        div class="flex flex-col gap-3 break-words" { (rich_text(view.description)) }
                    }
                }
                (organized_by(view.organizers))
                a href=(view.series_href) class="link link-primary self-start" { "All dates of this jam" }
            }
        },
    )
}

/// The registration part of the session page: the form while open, otherwise why not.
fn registration(page: &Page<'_>, view: &PublicSessionView<'_>) -> Markup {
    let open = view.state == PublicState::Open;
    html! {
        section id="register" class="flex flex-col gap-3" aria-labelledby="register-title" {
            h2 id="register-title" class={ "text-2xl font-bold" @if !open { " sr-only" } } {
                @if open { "Register" } @else { "Registration" }
            }
            @if open {
                p class="text-base-content/80" { "No account needed: your name and email are all it takes." }
            }
            @if let Some(notice) = view.notice {
                (alert(Tone::Success, notice))
            }
            @if let Some(duplicate) = view.duplicate {
                div class="flex flex-col gap-2" {
                    (alert(Tone::Warning, duplicate))
                    form method="post" action=(view.resend_action) class="self-start" {
                        (csrf_field(page.csrf))
                        input type="hidden" name="email" value=(view.form.value("email"));
                        button type="submit" class="btn btn-sm" {
                            (icons::envelope("size-4")) "Email me my confirmation again"
                        }
                    }
                }
            }
            @match view.state {
                PublicState::Open => (register_form(page, view)),
                PublicState::Closed => {
                    div class="alert items-start" role="status" {
                        (icons::clock("size-6 shrink-0"))
                        div class="flex flex-col gap-1" {
                            strong { "Registration is closed" }
                            span {
                                "This session has started or is too close to register. "
                                a href=(view.series_href) class="link" { "See other dates" }
                                "."
                            }
                        }
                    }
                }
                PublicState::Cancelled => {
                    div class="alert alert-error items-start" role="status" {
                        (icons::x_mark("size-6 shrink-0"))
                        div class="flex flex-col gap-1 min-w-0 break-words" {
                            strong { "This session is cancelled" }
                            @if let Some(reason) = view.cancel_reason.filter(|reason| !reason.trim().is_empty()) {
                                span { (reason) }
                            }
                        }
                    }
                }
                PublicState::Completed => {
                    div class="alert items-start" role="status" {
                        (icons::check_circle("size-6 shrink-0"))
                        div class="flex flex-col gap-1" {
                            strong { "This session took place on " (view.date) "." }
                            span {
                                a href=(view.series_href) class="link" { "See the next dates" }
                                "."
                            }
                        }
                    }
                }
            }
        }
    }
}

/// What a role's radio card says about room: "3 spots left" or that it is full.
fn room(count: RoleCount) -> String {
    match count.capacity.saturating_sub(count.confirmed) {
        0 => "Full: you join the waitlist".to_owned(),
        1 => "1 spot left".to_owned(),
        left => format!("{left} spots left"),
    }
}

/// The role as three radio cards; the group is marked invalid and its error is beside it.
/// When both roles are full, "either" means the first spot that frees.
fn role_choice(form: &FormState, base: RoleCount, flyer: RoleCount) -> Markup {
    let error = form.error("role");
    let chosen = form.value("role");
    let either = if both_full(base, flyer) {
        "Either — whichever frees first"
    } else {
        "Either — whichever role has room"
    };
    let options = [
        ("base", "Base", Some(room(base))),
        ("flyer", "Flyer", Some(room(flyer))),
        ("either", either, None),
    ];
    html! {
        fieldset class="fieldset" role="radiogroup"
            aria-invalid=[error.map(|_| "true")]
            aria-describedby="field-role-note" {
            legend class="fieldset-legend text-sm" { "Your role" (required_marker()) }
            div class="grid gap-2 sm:grid-cols-3" {
                @for (value, label, detail) in options {
                    label for={ "field-role-" (value) }
                        class={
                            "flex items-start gap-3 rounded-box border-2 bg-base-100 p-3 cursor-pointer has-checked:border-primary"
                            @if error.is_some() { " border-error" } @else { " border-base-300" }
                        } {
                        input id={ "field-role-" (value) } type="radio" name="role" value=(value)
                            class="radio radio-primary radio-sm mt-0.5 shrink-0"
                            checked[chosen == value] required;
                        span class="flex flex-col text-sm" {
                            span class="font-semibold text-base" { (label) }
                            @if let Some(detail) = detail { span class="text-sm" { (detail) } }
                        }
                    }
                }
            }
            (note("field-role-note", error, None))
        }
    }
}

/// A checkbox with its label, ticked when the form sent `value`, its error beside it.
fn checkbox(
    form: &FormState,
    name: &str,
    label: Markup,
    required: bool,
    hint: Option<&str>,
) -> Markup {
    let id = format!("field-{name}");
    let described = format!("{id}-note");
    let error = form.error(name);
    html! {
        fieldset class="fieldset" {
            label class="label whitespace-normal items-start gap-3 text-sm text-base-content" for=(id) {
                input id=(id) type="checkbox" name=(name) value="yes"
                    class={ "checkbox shrink-0" @if error.is_some() { " checkbox-error" } @else { " checkbox-primary" } }
                    checked[form.value(name) == "yes"] required[required]
                    aria-invalid=[error.map(|_| "true")]
                    aria-describedby=(described);
                span { (label) @if required { " " (required_marker()) } }
            }
            (note(&described, error, hint))
        }
    }
}

fn register_form(page: &Page<'_>, view: &PublicSessionView<'_>) -> Markup {
    let form = view.form;
    let waitlist_only = both_full(view.base, view.flyer);
    html! {
        @if let Some(problem) = view.problem { (alert(Tone::Error, problem)) }
        @if waitlist_only {
            div class="alert alert-warning items-start" role="status" {
                (icons::clock("size-6 shrink-0"))
                div class="flex flex-col gap-1" {
                    strong { "Both roles are full: you'll join the waitlist." }
                    span {
                        "When someone cancels, the first person waiting who fits gets the spot, "
                        "and the page you see after registering shows it."
                    }
                }
            }
        }
        form method="post" action=(view.register_action) class="card bg-base-200" novalidate {
            div class="card-body gap-1" {
                (csrf_field(page.csrf))
                (field(Field {
                    required: true,
                    max_length: 100,
                    autocomplete: "name",
                    ..Field::from_state("Your name", "name", form)
                }))
                (field(Field {
                    kind: "email",
                    required: true,
                    max_length: 254,
                    autocomplete: "email",
                    hint: Some("The organizers can reach you here. One registration per address."),
                    ..Field::from_state("Email", "email", form)
                }))
                (role_choice(form, view.base, view.flyer))
                (textarea("Note to the organizer (optional)", "note", form,
                    Some("Only the organizers see it, e.g. that it is your first jam."), 1000))
                (checkbox(form, "consent", html! {
                    "I agree that the organizers see my name, email and note for this jam and that Jamie emails me about it."
                }, true, None))
                div class="card-actions mt-2" {
                    button type="submit" class="btn btn-primary w-full sm:w-auto" {
                        @if waitlist_only { "Join the waitlist" } @else { "Register" }
                    }
                }
            }
        }
    }
}

/// The page after registering, at its private address (the cancel link's token): it shows
/// where the registration stands now, as often as it is opened.
#[derive(Clone, Debug, Default)]
pub struct RegisteredView<'a> {
    pub series_name: &'a str,
    pub session_href: &'a str,
    pub date: &'a str,
    pub time: &'a str,
    pub time_zone: &'a str,
    pub name: &'a str,
    pub email: &'a str,
    /// Confirmed now (registered so, or promoted since).
    pub confirmed: bool,
    /// Cancelled since (by them or by an organizer): neither confirmed nor waiting.
    pub cancelled: bool,
    /// The organizers cancelled the session.
    pub session_cancelled: bool,
    /// The session has ended.
    pub session_over: bool,
    /// "base" / "flyer" when confirmed; the requested "base" / "flyer" / "either" when waitlisted.
    pub role: &'a str,
    /// The waitlist position in the role's queue.
    pub position: Option<u32>,
    /// The secret cancel link (the same secret as this page's address).
    pub cancel_url: &'a str,
}

/// "a base", "a flyer".
fn as_role(role: &str) -> Option<&'static str> {
    match role {
        "base" => Some("a base"),
        "flyer" => Some("a flyer"),
        _ => None,
    }
}

/// The queue a waitlisted person is in: "bases", "flyers", "either role".
fn queue(role: &str) -> &'static str {
    match role {
        "base" => "bases",
        "flyer" => "flyers",
        _ => "either role",
    }
}

pub fn registered(page: &Page<'_>, view: &RegisteredView<'_>) -> Markup {
    let when = html! {
        strong { (view.series_name) } " on " (view.date) ", "
        span class="tabular-nums whitespace-nowrap" { (view.time) }
        @if !view.time_zone.is_empty() { " (" (view.time_zone) ")" }
    };
    let active = !view.cancelled && !view.session_cancelled && !view.session_over;
    layout(
        page,
        html! {
            section class="max-w-xl mx-auto flex flex-col gap-5" aria-labelledby="registered-title" {
                @if view.cancelled {
                    div class="flex items-center gap-3" {
                        (icons::x_mark("size-10 shrink-0"))
                        h1 id="registered-title" class="text-3xl font-bold" { "Your registration is cancelled" }
                    }
                    p class="text-lg" { "You are no longer registered for " (when) "." }
                } @else if view.confirmed {
                    div class="flex items-center gap-3" {
                        (icons::check_circle("size-10 shrink-0 text-success"))
                        h1 id="registered-title" class="text-3xl font-bold" { "You're in!" }
                    }
                    p class="text-lg" {
                        @if let Some(role) = as_role(view.role) {
                            "Confirmed as " (role) " for " (when) "."
                        } @else {
                            "Confirmed for " (when) "."
                        }
                    }
                } @else {
                    div class="flex items-center gap-3" {
                        (icons::clock("size-10 shrink-0 text-primary"))
                        h1 id="registered-title" class="text-3xl font-bold" { "You're on the waitlist" }
                    }
                    p class="text-lg" {
                        @if let Some(position) = view.position {
                            "You're number " (position) " in the queue for " (queue(view.role))
                        } @else {
                            "You're in the queue for " (queue(view.role))
                        }
                        " at " (when) "."
                    }
                    p { "If a spot frees up, the first person waiting who fits gets it on their own, and this page then says you're confirmed." }
                }
                @if view.session_cancelled {
                    div class="alert alert-error items-start" role="status" {
                        (icons::x_mark("size-6 shrink-0"))
                        span { "The organizers cancelled this session." }
                    }
                } @else if view.session_over {
                    div class="alert" role="status" {
                        (icons::clock("size-6 shrink-0"))
                        span { "This session has already taken place." }
                    }
                }
                p class="flex items-start gap-2" {
                    (icons::users("size-5 shrink-0 mt-0.5"))
                    span class="min-w-0 break-words" {
                        "Registered"
                        @if !view.name.is_empty() { " as " strong { (view.name) } }
                        " with " strong class="break-words" { (view.email) } "."
                    }
                }
                @if active {
                    div class="card bg-base-200" {
                        div class="card-body gap-2" {
                            p class="font-semibold" { "Keep this page: bookmark it or save its address." }
                            p class="text-sm" {
                                "It shows where your registration stands whenever you open it."
                            }
                            a href=(view.cancel_url) class="link link-primary font-semibold self-start mt-1" {
                                "Cancel my registration"
                            }
                            p class="text-sm" {
                                @if view.confirmed {
                                    "Can't make it? Cancel, and the next person waiting gets your spot. "
                                    "Keep this page to yourself: anyone with its address can cancel your spot."
                                } @else {
                                    "This link takes you off the waitlist. "
                                    "Keep this page to yourself: anyone with its address can take you off it."
                                }
                            }
                        }
                    }
                }
                (back_link(view.session_href, "Back to the session"))
            }
        },
    )
}

/// What the private cancel link can still do.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CancelState {
    /// Cancellable: the form posts to `action`.
    Active {
        action: String,
    },
    AlreadyCancelled,
    SessionOver,
}

/// The page the private cancel link opens.
#[derive(Clone, Debug)]
pub struct CancelView<'a> {
    pub series_name: &'a str,
    pub date: &'a str,
    pub time: &'a str,
    pub name: &'a str,
    /// e.g. "Confirmed as a base", "Waitlisted (number 2 for flyers)", "Cancelled".
    pub status_label: &'a str,
    /// Waitlisted: cancelling frees no spot, it takes them off the waitlist.
    pub waitlisted: bool,
    pub state: CancelState,
    /// e.g. "Your registration is cancelled. Your spot went to the next person on the waitlist."
    pub notice: Option<&'a str>,
}

/// The cancel page. With a notice (just cancelled), the "already cancelled" line is left out:
/// the notice says it.
pub fn cancel_page(page: &Page<'_>, view: &CancelView<'_>) -> Markup {
    layout(
        page,
        html! {
            section class="max-w-xl mx-auto flex flex-col gap-5" aria-labelledby="cancel-title" {
                @if let Some(notice) = view.notice { (alert(Tone::Success, notice)) }
                h1 id="cancel-title" class="text-3xl font-bold" { "Your registration" }
                dl class="card bg-base-200 card-body gap-3" {
                    (detail(icons::calendar_days("size-5"), "Session", html! {
                        span class="font-semibold" { (view.series_name) } br;
                        (view.date) ", " span class="tabular-nums whitespace-nowrap" { (view.time) }
                    }))
                    (detail(icons::users("size-5"), "Registration", html! {
                        (view.name) br;
                        (view.status_label)
                    }))
                }
                @match &view.state {
                    CancelState::Active { action } => {
                        form method="post" action=(action) class="flex flex-col gap-3 items-start" {
                            (csrf_field(page.csrf))
                            @if view.waitlisted {
                                p { "Can't come after all? Cancel, and you leave the waitlist." }
                            } @else {
                                p { "Can't come? Cancel, and the next person on the waitlist gets your spot." }
                            }
                            button type="submit" class="btn btn-error" {
                                (icons::x_mark("size-4")) "Cancel my registration"
                            }
                        }
                    }
                    CancelState::AlreadyCancelled => {
                        @if view.notice.is_none() {
                            div class="alert" role="status" {
                                (icons::information_circle("size-6 shrink-0"))
                                span { "This registration is already cancelled." }
                            }
                        }
                    }
                    CancelState::SessionOver => {
                        div class="alert" role="status" {
                            (icons::clock("size-6 shrink-0"))
                            span { "This session has already taken place." }
                        }
                    }
                }
            }
        },
    )
}

/// One upcoming session on the public series page.
#[derive(Clone, Debug, Default)]
pub struct SeriesSessionLink {
    /// `/s/{id}`.
    pub href: String,
    pub date: String,
    pub time: String,
    /// e.g. from [`counts_text`].
    pub counts: String,
    pub state: PublicState,
}

/// A series as participants see it.
#[derive(Clone, Debug, Default)]
pub struct PublicSeriesView<'a> {
    pub name: &'a str,
    pub description: &'a str,
    pub photo: Option<String>,
    pub venue: &'a str,
    pub address: &'a str,
    pub maps_url: &'a str,
    pub cost: &'a str,
    pub schedule: &'a str,
    pub organizers: &'a [String],
    pub sessions: Vec<SeriesSessionLink>,
}

/// The public series page. It sets no link preview tags itself (the view has no URL): add
/// them with [`Page::social`].
pub fn public_series(page: &Page<'_>, view: &PublicSeriesView<'_>) -> Markup {
    layout(
        page,
        html! {
            article class="max-w-2xl mx-auto flex flex-col gap-6" aria-labelledby="series-title" {
                (photo(view.photo.as_deref()))
                h1 id="series-title" class="text-3xl font-bold break-words" { (view.name) }
                dl class="card bg-base-200 card-body gap-3" {
                    @if !(view.venue.is_empty() && view.address.is_empty() && view.maps_url.is_empty()) {
                        (detail(icons::map_pin("size-5"), "Place", place(view.venue, view.address, view.maps_url)))
                    }
                    @if !view.cost.is_empty() {
                        (detail(icons::banknotes("size-5"), "Price", html! { (view.cost) }))
                    }
                    @if !view.schedule.is_empty() {
                        (detail(icons::clock("size-5"), "Usual time", html! { (view.schedule) }))
                    }
                }
                section class="flex flex-col gap-3" aria-labelledby="dates-title" {
                    h2 id="dates-title" class="text-2xl font-bold" { "Upcoming sessions" }
                    @if view.sessions.is_empty() {
                        p class="card bg-base-200 card-body" { "No upcoming sessions." }
                    } @else {
                        ul class="flex flex-col gap-2" {
                            @for session in &view.sessions {
                                li {
                                    a href=(session.href) class="card card-sm bg-base-200 hover:bg-base-300 transition-colors" {
                                        div class="card-body gap-1" {
                                            div class="flex flex-wrap items-center gap-x-3 gap-y-1" {
                                                span class={ "font-semibold" @if session.state == PublicState::Cancelled { " line-through" } } {
                                                    (session.date)
                                                }
                                                span class="tabular-nums whitespace-nowrap" { (session.time) }
                                                (state_badge(session.state))
                                            }
                                            @if !session.counts.is_empty() {
                                                span class="text-sm" { (session.counts) }
                                            }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
                @if !view.description.trim().is_empty() {
                    section class="flex flex-col gap-3" aria-labelledby="about-title" {
                        h2 id="about-title" class="text-2xl font-bold" { "About this jam" }
                        div class="flex flex-col gap-3 break-words" { (rich_text(view.description)) }
                    }
                }
                (organized_by(view.organizers))
            }
        },
    )
}

/// One series on the "Find a jam" page, with its next session.
#[derive(Clone, Debug, Default)]
pub struct ListedSeries {
    /// `/series/{id}`.
    pub href: String,
    pub name: String,
    pub venue: String,
    pub address: String,
    /// e.g. "Tuesdays at 19:00 for 2 h".
    pub schedule: String,
    /// The next session's page, `/s/{id}`.
    pub next_href: String,
    pub next_date: String,
    pub next_time: String,
    /// The next session's room, e.g. from [`counts_text`].
    pub next_counts: String,
}

/// "Find a jam": every public series with a session ahead, soonest first.
pub fn find_jams(page: &Page<'_>, series: &[ListedSeries]) -> Markup {
    layout(
        page,
        html! {
            section class="max-w-2xl mx-auto flex flex-col gap-6" aria-labelledby="find-title" {
                header class="flex flex-col gap-2" {
                    h1 id="find-title" class="text-3xl font-bold" { "Find a jam" }
                    p class="text-base-content/80" {
                        "Public acroyoga jams with sessions coming up. Open one to see its dates and register: no account needed."
                    }
                }
                @if series.is_empty() {
                    div class="card bg-base-200" {
                        div class="card-body gap-2" {
                            h2 class="card-title" { "No public jam has a session coming up" }
                            p {
                                "Got a link from an organizer? Open it: some jams are shared only by their link and are not listed here."
                            }
                            p {
                                "Running a jam? "
                                a href="/login" class="link link-primary" { "Sign in and publish it" }
                                ", and it appears here once it has a session."
                            }
                        }
                    }
                } @else {
                    ul class="flex flex-col gap-3" {
                        @for listed in series {
                            li class="card bg-base-200" {
                                div class="card-body gap-2" {
                                    h2 class="card-title break-words" {
                                        a href=(listed.href) class="link link-hover" { (listed.name) }
                                    }
                                    @if !(listed.venue.is_empty() && listed.address.is_empty()) {
                                        p class="flex items-start gap-2" {
                                            (icons::map_pin("size-5 shrink-0 text-primary"))
                                            span class="min-w-0 break-words" {
                                                (listed.venue)
                                                @if !listed.venue.is_empty() && !listed.address.is_empty() { ", " }
                                                (listed.address)
                                            }
                                        }
                                    }
                                    @if !listed.schedule.is_empty() {
                                        p class="flex items-start gap-2" {
                                            (icons::clock("size-5 shrink-0 text-primary"))
                                            span { (listed.schedule) }
                                        }
                                    }
                                    a href=(listed.next_href) class="flex flex-col gap-1 rounded-box bg-base-100 p-3 hover:bg-base-300 transition-colors" {
                                        span class="flex flex-wrap items-center gap-x-2 gap-y-1" {
                                            span class="text-sm text-base-content/70" { "Next:" }
                                            span class="font-semibold" { (listed.next_date) }
                                            span class="tabular-nums whitespace-nowrap" { (listed.next_time) }
                                        }
                                        span class="text-sm" { (listed.next_counts) }
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

/// One registration in the organizer's table.
#[derive(Clone, Debug, Default)]
pub struct RegistrationRow {
    pub id: String,
    pub name: String,
    pub email: String,
    pub note: String,
    /// base | flyer | either.
    pub requested: String,
    /// The role held when confirmed.
    pub role: Option<String>,
    /// confirmed | waitlisted | cancelled.
    pub status: String,
    /// The waitlist position in the role's queue.
    pub position: Option<u32>,
    pub registered_at: String,
    /// Added by an organizer.
    pub manual: bool,
    /// The page that asks before cancelling for them (a link: one click cancels nothing).
    pub cancel_href: Option<String>,
    /// For a cancelled registration: the POST that enters the person again.
    pub add_back_action: Option<String>,
    /// (label, POST action), e.g. ("Confirm as base", "/jams/…/registrations/{id}/move?to=base").
    pub move_actions: Vec<(String, String)>,
    /// The organizer's page of this registration (audit trail, the person's history).
    pub detail_href: String,
    /// "attended" | "no_show" once marked.
    pub attendance: Option<String>,
    /// (label, POST action) pairs shown once the session has started, e.g. ("Attended", "/jams/…/registrations/{id}/attendance?mark=attended").
    pub attendance_actions: Vec<(String, String)>,
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
    /// What the last action did.
    pub notice: Option<&'a str>,
    /// Undoing a cancel the notice reports: the POST that adds the person back.
    pub undo_action: Option<&'a str>,
    pub problem: Option<&'a str>,
}

fn role_label(role: &str) -> &str {
    match role {
        "base" => "Base",
        "flyer" => "Flyer",
        "either" => "Either",
        other => other,
    }
}

/// "a base", "a flyer": a role as a person holds it.
pub fn as_a(role: &str) -> &str {
    match role {
        "base" => "a base",
        "flyer" => "a flyer",
        _ => "a base or a flyer",
    }
}

/// "the bases' waitlist", "the flyers' waitlist", "the waitlist (base or flyer)": the queue
/// of a requested role.
pub fn waitlist_of(requested: &str) -> &str {
    match requested {
        "base" => "the bases' waitlist",
        "flyer" => "the flyers' waitlist",
        _ => "the waitlist (base or flyer)",
    }
}

/// A quiet badge: plain text on the page colour with a thin border and a coloured dot, so
/// the badge is quieter than the name it labels and keeps the text's full contrast.
fn quiet_badge(dot: &str, label: Markup) -> Markup {
    html! {
        span class="badge badge-sm gap-1.5 whitespace-nowrap border-base-300 bg-base-100 font-normal" {
            span class={ "size-2 shrink-0 rounded-full " (dot) } aria-hidden="true" {}
            (label)
        }
    }
}

/// A registration's status, with the waitlist position.
fn registration_badge(status: &str, position: Option<u32>) -> Markup {
    let (dot, label) = match status {
        "confirmed" => ("bg-success", "Confirmed"),
        "waitlisted" => ("bg-warning", "Waitlisted"),
        "cancelled" => ("bg-base-content/40", "Cancelled"),
        other => ("bg-base-content/40", other),
    };
    quiet_badge(
        dot,
        html! {
            (label)
            @if let (Some(position), "waitlisted") = (position, status) { " #" (position) }
        },
    )
}

/// A registration's status as a solid badge, for the participant's own registrations.
fn solid_registration_badge(status: &str) -> Markup {
    let (class, label) = match status {
        "confirmed" => ("badge badge-success", "Confirmed"),
        "waitlisted" => ("badge badge-warning", "Waitlisted"),
        "cancelled" => ("badge badge-neutral", "Cancelled"),
        other => ("badge", other),
    };
    html! { span class={ (class) " whitespace-nowrap" } { (label) } }
}

/// "Attended" or "No-show" as a small solid badge, for the participant's own registrations.
fn solid_attendance_badge(attendance: &str) -> Markup {
    let (class, label) = match attendance {
        "attended" => ("badge badge-success", "Attended"),
        "no_show" => ("badge badge-error", "No-show"),
        other => ("badge", other),
    };
    html! { span class={ (class) " badge-sm whitespace-nowrap" } { (label) } }
}

/// "Attended" or "No-show".
fn attendance_badge(attendance: &str) -> Markup {
    let (dot, label) = match attendance {
        "attended" => ("bg-success", "Attended"),
        "no_show" => ("bg-error", "No-show"),
        other => ("bg-base-content/40", other),
    };
    quiet_badge(dot, html! { (label) })
}

/// The role a registration holds ("Role: Base") or, until confirmed, asked for
/// ("Asked for: Either").
fn role_line(status: &str, role: &str) -> Markup {
    html! {
        span class="text-sm whitespace-nowrap" {
            @if status == "confirmed" { "Role: " } @else { "Asked for: " }
            (role_label(role))
        }
    }
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
fn table_counts(base: RoleCount, flyer: RoleCount, waitlist: u32) -> Markup {
    html! {
        p class="flex flex-wrap items-center gap-x-2 gap-y-1" {
            (table_count("Bases", base))
            span aria-hidden="true" { "·" }
            (table_count("Flyers", flyer))
            @if waitlist > 0 {
                span aria-hidden="true" { "·" }
                span class="whitespace-nowrap" { (waitlist) " waitlisted" }
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

/// A success notice saying what the last action did; after a cancel, with the button that
/// adds the person back.
fn done_notice(page: &Page<'_>, notice: &str, undo_action: Option<&str>) -> Markup {
    html! {
        div class="alert alert-success flex flex-wrap items-center" role="status" {
            (icons::check_circle("size-6 shrink-0"))
            span class="flex-1 min-w-48" { (notice) }
            @if let Some(action) = undo_action {
                form method="post" action=(action) {
                    (csrf_field(page.csrf))
                    button type="submit" class="btn btn-sm max-md:min-h-11" { "Add them back" }
                }
            }
        }
    }
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
                    (table_counts(view.base, view.flyer, view.waitlist))
                }
                nav class="flex flex-wrap gap-2" aria-label="Registrations tools" {
                    a href="#add-someone" class="btn btn-sm btn-primary max-md:min-h-11" { (icons::plus("size-4")) "Add someone" }
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
                    (rows_table(page, &view.rows))
                }
                @if let Some(next) = &view.next_href {
                    a href=(next) class="btn btn-ghost btn-sm self-start" { "Next 50" (icons::chevron_right("size-4")) }
                }
                (add_form(page, view))
            }
        },
    )
}

/// The table; below `md` its rows are cards and each cell carries its own label.
fn rows_table(page: &Page<'_>, rows: &[RegistrationRow]) -> Markup {
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
                                    @if row.detail_href.is_empty() {
                                        span class="font-semibold break-words" { (row.name) }
                                    } @else {
                                        a href=(row.detail_href) class="link font-semibold break-words" { (row.name) }
                                    }
                                    @if row.manual { span class="text-xs text-base-content/70" { "Added by an organizer" } }
                                }
                                div class="text-sm break-all" { (row.email) }
                                @if !row.note.trim().is_empty() {
                                    p class="text-sm mt-1 whitespace-pre-line break-words max-w-prose" {
                                        span class="font-semibold" { "Note: " } (row.note)
                                    }
                                }
                            }
                            td class="p-0 md:p-3 max-md:border-b-0 align-top" { (cell_label("Asked for")) (role_label(&row.requested)) }
                            td class="p-0 md:p-3 max-md:border-b-0 align-top" {
                                (cell_label("Role"))
                                @if let Some(role) = &row.role { (role_label(role)) } @else { "—" }
                            }
                            td class="p-0 md:p-3 max-md:border-b-0 align-top" {
                                div class="flex flex-wrap items-center gap-1" {
                                    (registration_badge(&row.status, row.position))
                                    @if let Some(attendance) = &row.attendance { (attendance_badge(attendance)) }
                                }
                            }
                            td class="p-0 md:p-3 max-md:border-b-0 align-top text-sm md:whitespace-nowrap" { (cell_label("Registered")) (row.registered_at) }
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
    /// confirmed | waitlisted | cancelled.
    pub status: &'a str,
    /// The role held (confirmed) or asked for.
    pub role: &'a str,
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
                @if view.status == "cancelled" {
                    h1 id="confirm-title" class="text-3xl font-bold break-words" { (name) "'s registration is already cancelled" }
                    p { "There is nothing to cancel. You can add them back from the registrations table." }
                    a href=(view.back_href) class="btn self-start min-h-11" { (view.back_label) }
                } @else {
                    h1 id="confirm-title" class="text-3xl font-bold break-words" {
                        @if view.status == "confirmed" { "Cancel " (name) "'s spot?" }
                        @else { "Cancel " (name) "'s place on the waitlist?" }
                    }
                    div class="card bg-base-200 card-body gap-2" {
                        @if view.status == "confirmed" {
                            p { (name) " is confirmed as " (as_a(view.role)) "." }
                            @if let Some(next) = view.next {
                                p { "Their spot goes to " span class="font-semibold" { (next) } ", first in line on the waitlist. Both are told by email." }
                            } @else {
                                p { "Nobody is waiting for it, so the spot becomes free for the next person who registers. " (name) " is told by email." }
                            }
                        } @else {
                            p {
                                (name) " is "
                                @if let Some(position) = view.position { "number " (position) " on " } @else { "on " }
                                (waitlist_of(view.role)) "."
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

/// The marks a check-in row can post, once ticking is open.
#[derive(Clone, Debug, Default)]
pub struct CheckinActions {
    pub attended: String,
    pub no_show: String,
    pub clear: String,
}

/// One person on the check-in list.
#[derive(Clone, Debug, Default)]
pub struct CheckinRow {
    /// The registration id: the row's anchor is `p-{id}`.
    pub id: String,
    pub name: String,
    /// Shown beside the name unless it is the column's own role ("base" among the bases).
    pub role: String,
    /// "attended" | "no_show" once marked.
    pub attendance: Option<String>,
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
    pub opens: Option<&'a str>,
    pub bases: &'a [CheckinRow],
    pub flyers: &'a [CheckinRow],
    /// The registration just marked (its row says "Saved").
    pub just_marked: Option<&'a str>,
    pub problem: Option<&'a str>,
}

/// The role beside a name when it is not the column's.
fn role_aside(row: &CheckinRow, role: &str) -> Markup {
    html! {
        @if !row.role.is_empty() && row.role != role {
            " " span class="text-sm" { "(" (row.role) ")" }
        }
    }
}

/// A row's controls once ticking is open: one wide button that marks them attended (or
/// undoes it) and a "No-show" (or "Clear") beside it, each a form of its own.
fn checkin_controls(
    page: &Page<'_>,
    row: &CheckinRow,
    role: &str,
    actions: &CheckinActions,
) -> Markup {
    let attended = row.attendance.as_deref() == Some("attended");
    let no_show = row.attendance.as_deref() == Some("no_show");
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
                        @if no_show { " " (attendance_badge("no_show")) }
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
    role: &str,
    rows: &[CheckinRow],
    just_marked: Option<&str>,
) -> Markup {
    let id = format!("checkin-{role}");
    let here = rows
        .iter()
        .filter(|row| row.attendance.as_deref() == Some("attended"))
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
                @if let Some(opens) = view.opens {
                    div class="print:hidden" {
                        (alert(Tone::Info, &format!("You can tick people in here from {opens}, when the session starts. Until then, print the list or come back at the jam.")))
                    }
                }
                div class="grid gap-6 sm:grid-cols-2 print:grid-cols-2" {
                    (checkin_column(page, "Bases", "base", view.bases, view.just_marked))
                    (checkin_column(page, "Flyers", "flyer", view.flyers, view.just_marked))
                }
            }
        },
    )
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
    /// confirmed | waitlisted | cancelled
    pub status: String,
    /// The role held when confirmed, else the one asked for (base | flyer | either).
    pub role: String,
    /// "Cancelled by the organizers" / "Completed" when the session is not simply scheduled.
    pub session_state: Option<String>,
    /// POST action that cancels it (None when it cannot be cancelled any more).
    pub cancel_action: Option<String>,
    /// "attended" | "no_show" (past ones).
    pub attendance: Option<String>,
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
                    (solid_registration_badge(&row.status))
                    @if let Some(attendance) = &row.attendance { (solid_attendance_badge(attendance)) }
                    (role_line(&row.status, &row.role))
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

/// One organizer's override of a registration: when, by whom, from which status to which.
#[derive(Clone, Debug)]
pub struct MoveRow {
    pub at: String,
    pub by: String,
    pub from: String,
    pub to: String,
}

/// One of a person's registrations in a series.
#[derive(Clone, Debug)]
pub struct HistoryRow {
    pub series_date: String,
    pub session_href: String,
    pub status: String,
    pub role: String,
    pub attendance: Option<String>,
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
    /// confirmed | waitlisted | cancelled
    pub status: &'a str,
    /// Held or asked for.
    pub role: &'a str,
    /// The waitlist position.
    pub position: Option<u32>,
    pub registered_at: &'a str,
    pub manual: bool,
    pub attendance: Option<&'a str>,
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
                        (role_line(view.status, view.role))
                        @if view.manual { span class="text-sm text-base-content/70" { "Added by an organizer" } }
                    }
                }
                dl class="card bg-base-200 card-body gap-3" {
                    (term("Email", html! {
                        a href={ "mailto:" (view.email) } class="link link-primary break-all" { (view.email) }
                    }))
                    (term("Registered", html! { (view.registered_at) }))
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
                                    span class="tabular-nums" { (row.at) } " · " (row.by) ": "
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
                                        a href=(row.session_href) class="link font-semibold" { (row.series_date) }
                                        (registration_badge(&row.status, None))
                                        @if let Some(attendance) = &row.attendance { (attendance_badge(attendance)) }
                                        (role_line(&row.status, &row.role))
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
    use crate::Theme;
    use crate::test_support::{forms, state};

    const CSRF: &str = r#"<input type="hidden" name="csrf" value="tok">"#;

    fn page() -> Page<'static> {
        Page::new("Jam", "/s/d1", Theme::System).csrf("tok")
    }

    /// Every POST form carries the CSRF token; returns their actions, in order.
    fn post_actions(html: &str) -> Vec<String> {
        let mut actions = Vec::new();
        for form in forms(html) {
            let tag = &form[..form.find('>').unwrap()];
            let action = tag
                .split("action=\"")
                .nth(1)
                .and_then(|rest| rest.split('"').next())
                .unwrap_or("")
                .to_owned();
            if tag.contains(r#"method="post""#) {
                assert!(form.contains(CSRF), "form to {action} lacks the CSRF token");
                actions.push(action);
            }
        }
        actions
    }

    /// The opening tag of the element with `id`.
    fn tag<'h>(html: &'h str, id: &str) -> &'h str {
        let at = html
            .find(&format!(r#" id="{id}""#))
            .unwrap_or_else(|| panic!("no #{id}"));
        let start = html[..at].rfind('<').unwrap();
        &html[start..at + html[at..].find('>').unwrap()]
    }

    /// The error is the note of the control `id`, which is marked invalid and points to it.
    fn assert_error_beside(html: &str, id: &str, error: &str) {
        let note = format!("{id}-note");
        let control = tag(html, id);
        assert!(
            control.contains(r#"aria-invalid="true""#),
            "{id} not invalid"
        );
        assert!(
            control.contains(&format!(r#"aria-describedby="{note}""#)),
            "{id}"
        );
        let after = html.split(&format!(r#"id="{note}""#)).nth(1).unwrap();
        assert!(
            after[..after.find("</p>").unwrap()].contains(error),
            "{id}: {error} not in its note"
        );
    }

    fn head_of(html: &str) -> &str {
        &html[..html.find("</head>").unwrap()]
    }

    const ORGANIZERS: [String; 0] = [];

    fn session<'a>(form: &'a FormState, organizers: &'a [String]) -> PublicSessionView<'a> {
        PublicSessionView {
            series_name: "Park <jam>",
            series_href: "/series/s1",
            url: "https://jamie.example/s/d1",
            photo: Some("https://cdn.example/p-1600.webp".into()),
            date: "Tue 1 Dec 2026",
            time: "19:00–21:00",
            time_zone: "Europe/Berlin",
            venue: "Volkspark <east>",
            address: "Main St 1",
            maps_url: "https://maps.google.com/?q=Main&x=1",
            cost: "Donation",
            description: "Bring water <b>\nsee https://example.org/x.",
            level_notes: "All levels <welcome>",
            note: "Indoors <today>",
            organizers,
            base: RoleCount {
                confirmed: 7,
                capacity: 10,
            },
            flyer: RoleCount {
                confirmed: 10,
                capacity: 10,
            },
            waitlist: 3,
            state: PublicState::Open,
            cancel_reason: None,
            register_action: "/s/d1/register",
            form,
            problem: None,
            duplicate: None,
            notice: None,
            resend_action: "/s/d1/resend",
        }
    }

    #[test]
    fn counts_say_full_and_skip_an_empty_waitlist() {
        let count = |confirmed, capacity| RoleCount {
            confirmed,
            capacity,
        };
        assert_eq!(
            counts_text(count(7, 10), count(10, 10), 3),
            "Bases 7/10 · Flyers 10/10 (full) · 3 on the waitlist"
        );
        assert_eq!(
            counts_text(count(12, 10), count(0, 8), 0),
            "Bases 10/10 (full) · Flyers 0/8",
            "never more than fit"
        );
        assert_eq!(names(&[]), "");
        assert_eq!(names(&["Ana".into()]), "Ana");
        assert_eq!(
            names(&["Ana".into(), "Bo".into(), "Cy".into()]),
            "Ana, Bo and Cy"
        );
    }

    #[test]
    fn an_open_session_shows_everything_and_the_registration_form() {
        let organizers = ["Ana".to_owned(), "Bo <b>".to_owned()];
        let form = FormState::default();
        let html = public_session(&page(), &session(&form, &organizers)).into_string();
        assert!(html.contains(
            r#"<h1 id="session-title" class="text-3xl font-bold break-words">Park &lt;jam&gt;</h1>"#
        ));
        assert!(!html.contains("<jam>") && !html.contains("<east>") && !html.contains("<b>"));
        assert!(html.contains(r#"<img src="https://cdn.example/p-1600.webp" alt="""#));
        assert!(html.contains("Tue 1 Dec 2026") && html.contains("19:00–21:00"));
        assert!(html.contains("(Europe/Berlin)"));
        assert!(html.contains("Volkspark &lt;east&gt;") && html.contains("Main St 1"));
        assert!(html.contains(r#"href="https://maps.google.com/?q=Main&amp;x=1""#));
        assert!(html.contains(">Open in Google Maps</a>"));
        assert!(html.contains("Donation"));
        assert!(html.contains("<span>Bases 7/10 · Flyers 10/10 (full) · 3 on the waitlist</span>"));
        assert!(html.contains("Bring water &lt;b&gt;<br>see <a href=\"https://example.org/x\""));
        assert!(
            html.contains("All levels &lt;welcome&gt;") && html.contains("Indoors &lt;today&gt;")
        );
        assert!(html.contains("Organized by Ana and Bo &lt;b&gt;"));
        assert!(html.contains(r#"href="/series/s1""#));
        assert!(!html.contains("Registration is closed") && !html.contains("is cancelled"));

        assert_eq!(
            post_actions(&html),
            ["/preferences/theme", "/s/d1/register"]
        );
        let register = forms(&html)
            .into_iter()
            .find(|form| form.contains("/s/d1/register"))
            .unwrap();
        assert!(register.contains(">Register</button>"));
        let name = tag(register, "field-name");
        assert!(name.contains(r#"maxlength="100""#) && name.contains(" required"));
        let email = tag(register, "field-email");
        assert!(email.contains(r#"type="email""#) && email.contains(" required"));
        for (value, label) in [
            ("base", "Base"),
            ("flyer", "Flyer"),
            ("either", "Either — whichever role has room"),
        ] {
            let radio = tag(register, &format!("field-role-{value}"));
            assert!(radio.contains(&format!(r#"type="radio" name="role" value="{value}""#)));
            assert!(!radio.contains("checked"));
            assert!(register.contains(&format!(
                r#"<span class="font-semibold text-base">{label}</span>"#
            )));
        }
        assert!(
            register.contains("3 spots left") && register.contains("Full: you join the waitlist")
        );
        let note = tag(register, "field-note");
        assert!(note.starts_with("<textarea") && note.contains(r#"maxlength="1000""#));
        assert!(!note.contains("required"));
        let consent = tag(register, "field-consent");
        assert!(consent.contains(r#"type="checkbox" name="consent" value="yes""#));
        assert!(register.contains(
            "I agree that the organizers see my name, email and note for this jam and that Jamie emails me about it."
        ));
        assert!(!html.contains(" style=") && !html.contains("<script>"));
    }

    #[test]
    fn a_session_page_previews_with_its_photo() {
        let form = FormState::default();
        let html = public_session(&page(), &session(&form, &ORGANIZERS)).into_string();
        let head = head_of(&html);
        for tag in [
            r#"<meta property="og:title" content="Park &lt;jam&gt; · Tue 1 Dec 2026">"#,
            r#"<meta property="og:url" content="https://jamie.example/s/d1">"#,
            r#"<meta property="og:type" content="website">"#,
            r#"<meta property="og:image" content="https://cdn.example/p-1600.webp">"#,
            r#"<meta name="twitter:card" content="summary_large_image">"#,
            r#"<meta name="twitter:title" content="Park &lt;jam&gt; · Tue 1 Dec 2026">"#,
        ] {
            assert!(head.contains(tag), "{tag} missing");
        }
        let description = "Tue 1 Dec 2026, 19:00–21:00 (Europe/Berlin) at Volkspark &lt;east&gt;. Bases 7/10 · Flyers 10/10 (full) · 3 on the waitlist.";
        assert!(head.contains(&format!(
            r#"<meta property="og:description" content="{description}">"#
        )));
        assert!(head.contains(&format!(
            r#"<meta name="twitter:description" content="{description}">"#
        )));

        let view = PublicSessionView {
            photo: None,
            state: PublicState::Cancelled,
            ..session(&form, &ORGANIZERS)
        };
        let html = public_session(&page(), &view).into_string();
        let head = head_of(&html);
        assert!(!head.contains("og:image") && !html.contains("<img"));
        assert!(head.contains(r#"<meta name="twitter:card" content="summary">"#));
        assert!(head.contains(r#"content="Cancelled: Tue 1 Dec 2026"#));

        // Tags the handler set win.
        let custom = page().social(Social {
            title: "Custom",
            description: "Mine",
            url: "https://jamie.example/x",
            image: None,
        });
        let html = public_session(&custom, &session(&form, &ORGANIZERS)).into_string();
        assert!(html.contains(r#"<meta property="og:title" content="Custom">"#));
        assert_eq!(html.matches("og:title").count(), 1);
    }

    #[test]
    fn a_failed_registration_keeps_values_and_puts_errors_beside_fields() {
        let form = state(
            &[
                ("name", "Ana <x>"),
                ("email", "ana\"@example"),
                ("role", "flyer"),
                ("note", "first <jam>"),
                ("consent", "yes"),
            ],
            &[
                ("name", "Too long."),
                ("email", "Enter an email address."),
                ("role", "Choose base, flyer or either."),
                ("note", "At most 1000 characters."),
                ("consent", "Tick the box to register."),
            ],
        );
        let view = PublicSessionView {
            problem: Some("Check the fields below."),
            ..session(&form, &ORGANIZERS)
        };
        let html = public_session(&page(), &view).into_string();
        assert!(html.contains("Check the fields below.") && html.contains(r#"role="alert""#));
        assert!(html.contains(r#"value="Ana &lt;x&gt;""#));
        assert!(html.contains(r#"value="ana&quot;@example""#));
        assert!(html.contains(">first &lt;jam&gt;</textarea>"));
        assert!(tag(&html, "field-role-flyer").contains(" checked"));
        assert!(!tag(&html, "field-role-base").contains(" checked"));
        assert!(tag(&html, "field-consent").contains(" checked"));
        for id in ["field-name", "field-email", "field-note", "field-consent"] {
            let field = &id["field-".len()..];
            assert_error_beside(&html, id, form.error(field).unwrap());
        }
        // The radio group is invalid as a whole, its error beside it.
        let group = &html[..html.find(r#"id="field-role-base""#).unwrap()];
        let group = &group[group.rfind("<fieldset").unwrap()..];
        assert!(group.contains(
            r#"role="radiogroup" aria-invalid="true" aria-describedby="field-role-note""#
        ));
        let after = html.split(r#"id="field-role-note""#).nth(1).unwrap();
        assert!(after[..after.find("</p>").unwrap()].contains("Choose base, flyer or either."));
    }

    #[test]
    fn a_duplicate_registration_offers_to_resend_the_confirmation() {
        let form = state(&[("email", "ana@example.org\"><x")], &[]);
        let view = PublicSessionView {
            duplicate: Some("You're already registered with <this> email."),
            ..session(&form, &ORGANIZERS)
        };
        let html = public_session(&page(), &view).into_string();
        assert!(html.contains(r#"<div class="alert alert-warning" role="status">"#));
        assert!(html.contains("You're already registered with &lt;this&gt; email."));
        assert!(post_actions(&html).contains(&"/s/d1/resend".to_owned()));
        let resend = forms(&html)
            .into_iter()
            .find(|form| form.contains("/s/d1/resend"))
            .unwrap();
        assert!(resend.contains(
            r#"<input type="hidden" name="email" value="ana@example.org&quot;&gt;&lt;x">"#
        ));
        assert!(resend.contains("Email me my confirmation again</button>"));
        let without = public_session(&page(), &session(&form, &ORGANIZERS)).into_string();
        assert!(!without.contains("/s/d1/resend") && !without.contains("alert-warning"));
    }

    #[test]
    fn closed_cancelled_and_completed_sessions_have_no_form() {
        let form = FormState::default();
        for (state, says) in [
            (PublicState::Closed, "Registration is closed"),
            (PublicState::Cancelled, "This session is cancelled"),
            (
                PublicState::Completed,
                "This session took place on Tue 1 Dec 2026.",
            ),
        ] {
            let view = PublicSessionView {
                state,
                cancel_reason: Some("Rain <heavy>"),
                ..session(&form, &ORGANIZERS)
            };
            let html = public_session(&page(), &view).into_string();
            assert!(html.contains(says), "{state:?}: {says}");
            assert!(!html.contains("/s/d1/register"), "{state:?}: form shown");
            assert!(!html.contains(r#"name="consent""#));
            assert!(html.contains(&format!(">{}</span>", state.label())));
            assert_eq!(
                html.contains("Rain &lt;heavy&gt;"),
                state == PublicState::Cancelled,
                "{state:?}: the reason belongs to cancelled sessions"
            );
            assert_eq!(
                html.contains(r#"<div class="alert alert-error items-start" role="status">"#),
                state == PublicState::Cancelled
            );
            assert_eq!(
                html.contains("3 on the waitlist"),
                state == PublicState::Closed,
                "{state:?}: counts only while they matter"
            );
        }
    }

    fn registered_view(confirmed: bool, role: &'static str) -> RegisteredView<'static> {
        RegisteredView {
            series_name: "Park <jam>",
            session_href: "/s/d1",
            date: "Tue 1 Dec 2026",
            time: "19:00–21:00",
            time_zone: "Europe/Berlin",
            name: "Ana <x>",
            email: "ana@example.org",
            confirmed,
            role,
            position: Some(3),
            cancel_url: "https://jamie.example/r/secret-token",
            ..RegisteredView::default()
        }
    }

    #[test]
    fn the_registered_page_says_where_they_stand_and_how_to_cancel() {
        let html = registered(&page(), &registered_view(true, "base")).into_string();
        assert!(html.contains("You're in!"));
        assert!(html.contains(
            "Confirmed as a base for <strong>Park &lt;jam&gt;</strong> on Tue 1 Dec 2026"
        ));
        assert!(html.contains("(Europe/Berlin)"));
        assert!(html.contains(r#"href="https://jamie.example/r/secret-token""#));
        assert!(html.contains("Cancel my registration</a>"));
        assert!(html.contains("Registered as <strong>Ana &lt;x&gt;</strong>"));
        assert!(html.contains("anyone with its address can cancel your spot"));
        assert!(html.contains("ana@example.org"));
        assert!(
            !html.contains("We sent") && !html.contains("We'll email"),
            "no promise of an email that is not sent"
        );
        let main = html.split("<main").nth(1).unwrap();
        assert!(!main.contains("waitlist"));

        let html = registered(&page(), &registered_view(false, "base")).into_string();
        assert!(html.contains("You're on the waitlist"));
        assert!(html.contains("number 3 in the queue for bases"));
        assert!(html.contains("this page then says you're confirmed"));
        assert!(html.contains("Cancel my registration</a>"));
        assert!(html.contains("This link takes you off the waitlist."));
        assert!(
            !html.contains("cancel your spot"),
            "a waitlisted person holds no spot"
        );
        let html = registered(&page(), &registered_view(false, "either")).into_string();
        assert!(html.contains("number 3 in the queue for either role"));
        let html = registered(
            &page(),
            &RegisteredView {
                position: None,
                ..registered_view(false, "flyer")
            },
        )
        .into_string();
        assert!(html.contains("You're in the queue for flyers"));

        let html = registered(
            &page(),
            &RegisteredView {
                cancelled: true,
                ..registered_view(true, "base")
            },
        )
        .into_string();
        assert!(html.contains("Your registration is cancelled"));
        assert!(!html.contains("You're in!") && !html.contains("secret-token"));
    }

    fn cancel_view(state: CancelState, notice: Option<&'static str>) -> CancelView<'static> {
        CancelView {
            series_name: "Park <jam>",
            date: "Tue 1 Dec 2026",
            time: "19:00–21:00",
            name: "Ana <x>",
            status_label: "Waitlisted (number 2 for flyers)",
            waitlisted: true,
            state,
            notice,
        }
    }

    #[test]
    fn the_cancel_page_cancels_with_one_red_button() {
        let html = cancel_page(
            &page(),
            &cancel_view(
                CancelState::Active {
                    action: "/r/secret/cancel".into(),
                },
                None,
            ),
        )
        .into_string();
        assert_eq!(
            post_actions(&html),
            ["/preferences/theme", "/r/secret/cancel"]
        );
        assert!(html.contains(r#"<button type="submit" class="btn btn-error">"#));
        assert!(html.contains("Cancel my registration</button>"));
        assert!(html.contains("Park &lt;jam&gt;") && html.contains("Ana &lt;x&gt;"));
        assert!(html.contains("Waitlisted (number 2 for flyers)"));

        let html =
            cancel_page(&page(), &cancel_view(CancelState::AlreadyCancelled, None)).into_string();
        assert!(html.contains("This registration is already cancelled."));
        assert!(!html.contains("Cancel my registration"));

        let notice =
            "Your registration is cancelled. Your spot went to the next person on the waitlist.";
        let html = cancel_page(
            &page(),
            &cancel_view(CancelState::AlreadyCancelled, Some(notice)),
        )
        .into_string();
        assert!(html.contains(notice) && html.contains("alert-success"));
        assert!(!html.contains("already cancelled"), "the notice says it");

        let html = cancel_page(&page(), &cancel_view(CancelState::SessionOver, None)).into_string();
        assert!(html.contains("This session has already taken place."));
        assert!(!html.contains("Cancel my registration"));
    }

    #[test]
    fn the_public_series_lists_upcoming_sessions() {
        let organizers = ["Ana".to_owned()];
        let view = PublicSeriesView {
            name: "Park <jam>",
            description: "Every <week>",
            photo: Some("https://cdn.example/p.webp".into()),
            venue: "Volkspark",
            address: "Main St 1",
            maps_url: "https://maps.google.com/?q=Main",
            cost: "Free",
            schedule: "Tuesdays 19:00–21:00",
            organizers: &organizers,
            sessions: vec![
                SeriesSessionLink {
                    href: "/s/d1".into(),
                    date: "Tue 1 Dec 2026".into(),
                    time: "19:00–21:00".into(),
                    counts: "Bases 1/10 · Flyers <2>/10".into(),
                    state: PublicState::Open,
                },
                SeriesSessionLink {
                    href: "/s/d2".into(),
                    date: "Tue 8 Dec 2026".into(),
                    state: PublicState::Cancelled,
                    ..SeriesSessionLink::default()
                },
            ],
        };
        let html = public_series(&page(), &view).into_string();
        assert!(html.contains("Park &lt;jam&gt;") && html.contains("Every &lt;week&gt;"));
        assert!(html.contains(r#"href="/s/d1""#) && html.contains(r#"href="/s/d2""#));
        assert!(html.contains("Bases 1/10 · Flyers &lt;2&gt;/10"));
        assert!(html.contains(r#"<span class="badge badge-success">Open</span>"#));
        assert!(html.contains(r#"<span class="badge badge-error">Cancelled</span>"#));
        assert!(html.contains(r#"<span class="font-semibold line-through">Tue 8 Dec 2026</span>"#));
        assert!(html.contains("Tuesdays 19:00–21:00") && html.contains("Open in Google Maps"));
        assert!(html.contains("Organized by Ana"));
        assert!(!html.contains("No upcoming sessions."));

        let html = public_series(
            &page(),
            &PublicSeriesView {
                sessions: vec![],
                ..view
            },
        )
        .into_string();
        assert!(html.contains("No upcoming sessions."));
    }

    fn table_view<'a>(add_form: &'a FormState, rows: Vec<RegistrationRow>) -> TableView<'a> {
        TableView {
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
            notice: Some("Moved."),
            undo_action: None,
            problem: None,
        }
    }

    fn rows() -> Vec<RegistrationRow> {
        vec![
            RegistrationRow {
                id: "r1".into(),
                name: "Ana <x>".into(),
                email: "ana@example.org".into(),
                note: "first <jam>".into(),
                requested: "either".into(),
                role: None,
                status: "waitlisted".into(),
                position: Some(2),
                registered_at: "1 Nov, 10:00".into(),
                manual: true,
                cancel_href: Some("/jams/s1/sessions/d1/registrations/r1/cancel".into()),
                add_back_action: None,
                move_actions: vec![(
                    "Confirm as base".into(),
                    "/jams/s1/sessions/d1/registrations/r1/move?to=base".into(),
                )],
                detail_href: "/jams/s1/sessions/d1/registrations/r1".into(),
                attendance: None,
                attendance_actions: vec![],
            },
            RegistrationRow {
                id: "r2".into(),
                name: "Bo".into(),
                status: "cancelled".into(),
                requested: "flyer".into(),
                ..RegistrationRow::default()
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
                requested: "base".into(),
                role: Some("base".into()),
                status: "confirmed".into(),
                detail_href: format!("{base}/r1"),
                attendance: Some("attended".into()),
                attendance_actions: vec![(
                    "No-show".into(),
                    format!("{base}/r1/attendance?mark=no_show"),
                )],
                ..RegistrationRow::default()
            },
            RegistrationRow {
                id: "r2".into(),
                name: "Bo".into(),
                requested: "flyer".into(),
                role: Some("flyer".into()),
                status: "confirmed".into(),
                detail_href: format!("{base}/r2"),
                attendance: Some("no_show".into()),
                ..RegistrationRow::default()
            },
            RegistrationRow {
                id: "r3".into(),
                name: "Cy".into(),
                requested: "either".into(),
                role: Some("flyer".into()),
                status: "confirmed".into(),
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
                ..RegistrationRow::default()
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

    fn my_row(series_name: &str, date: &str, status: &str, role: &str) -> MyRegistrationRow {
        MyRegistrationRow {
            series_name: series_name.into(),
            session_href: format!("/s/{date}"),
            date: date.into(),
            time: "19:00–21:00".into(),
            time_zone: "Europe/Berlin".into(),
            status: status.into(),
            role: role.into(),
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
                ..my_row("Park <script>", "d1", "confirmed", "base")
            },
            MyRegistrationRow {
                cancel_action: Some("/me/registrations/r2/cancel".into()),
                ..my_row("Gym jam", "d2", "waitlisted", "either")
            },
            MyRegistrationRow {
                session_state: Some("Cancelled by the organizers".into()),
                ..my_row("Beach jam", "d3", "cancelled", "flyer")
            },
        ];
        let past = [
            MyRegistrationRow {
                attendance: Some("attended".into()),
                session_state: Some("Completed".into()),
                // Too late to cancel, whatever the handler says.
                cancel_action: Some("/me/registrations/r4/cancel".into()),
                ..my_row("Park <script>", "d0", "confirmed", "flyer")
            },
            MyRegistrationRow {
                attendance: Some("no_show".into()),
                ..my_row("Gym jam", "d00", "confirmed", "base")
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
            status: "waitlisted",
            role: "either",
            position: Some(2),
            registered_at: "1 Nov, 10:00",
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
                at: "2 Nov, 09:00".into(),
                by: "Bo <b>".into(),
                from: "Waitlisted".into(),
                to: "Confirmed as base".into(),
            },
            MoveRow {
                at: "3 Nov, 18:30".into(),
                by: "Cy".into(),
                from: "Confirmed as base".into(),
                to: "Waitlisted".into(),
            },
        ];
        let history = [
            HistoryRow {
                series_date: "Tue 8 Dec 2026".into(),
                session_href: "/jams/s1/sessions/d2".into(),
                status: "confirmed".into(),
                role: "flyer".into(),
                attendance: None,
                current: false,
            },
            HistoryRow {
                series_date: "Tue 1 Dec 2026".into(),
                session_href: "/jams/s1/sessions/d1".into(),
                status: "waitlisted".into(),
                role: "either".into(),
                attendance: None,
                current: true,
            },
            HistoryRow {
                series_date: "Tue 24 Nov 2026".into(),
                session_href: "/jams/s1/sessions/d0".into(),
                status: "confirmed".into(),
                role: "base".into(),
                attendance: Some("no_show".into()),
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
        assert!(html.contains("1 Nov, 10:00"));
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
            r#"<span class="tabular-nums">2 Nov, 09:00</span> · Bo &lt;b&gt;: Waitlisted → Confirmed as base"#
        ));
        assert!(html.contains("3 Nov, 18:30</span> · Cy: Confirmed as base → Waitlisted"));
        let first = html.find("2 Nov, 09:00").unwrap();
        assert!(first < html.find("3 Nov, 18:30").unwrap(), "oldest first");
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
            status: "confirmed",
            role: "base",
            position: None,
            manual: false,
            note: " ",
            attendance: Some("no_show"),
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

    fn checkin_view<'a>(bases: &'a [CheckinRow], opens: Option<&'a str>) -> CheckinView<'a> {
        CheckinView {
            series_name: "Park <jam>",
            date: "Tue 1 Dec 2026",
            time: "19:00",
            table_href: "/jams/s1/sessions/d1/registrations",
            opens,
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
                role: "base".into(),
                ..CheckinRow::default()
            },
            CheckinRow {
                id: "r2".into(),
                name: "Cy".into(),
                role: "either".into(),
                ..CheckinRow::default()
            },
        ];
        let html = checkin_list(
            &page(),
            &checkin_view(&bases, Some("19:00 on Tue 1 Dec 2026")),
        )
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
                role: "base".into(),
                attendance: None,
                actions: Some(actions("r1")),
            },
            CheckinRow {
                id: "r2".into(),
                name: "Bo".into(),
                role: "base".into(),
                attendance: Some("attended".into()),
                actions: Some(actions("r2")),
            },
            CheckinRow {
                id: "r3".into(),
                name: "Cy".into(),
                role: "base".into(),
                attendance: Some("no_show".into()),
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

    #[test]
    fn cancelling_for_someone_asks_first_and_says_what_happens() {
        let view = CancelConfirmView {
            series_name: "Park <jam>",
            date: "Tue 1 Dec 2026",
            time: "19:00–21:00",
            back_href: "/jams/s1/sessions/d1/registrations#r-r1",
            back_label: "Back to registrations",
            name: "Ana <x>",
            status: "confirmed",
            role: "base",
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
            status: "waitlisted",
            role: "flyer",
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
            status: "cancelled",
            ..view
        };
        let html = cancel_confirm(&page(), &gone).into_string();
        assert!(html.contains("already cancelled"));
        assert!(!html.contains("Yes, cancel their spot"));
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
}
