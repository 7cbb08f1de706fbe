//! A session as participants see it: when and where, how full, and the registration form
//! while registration is open (otherwise why not); its link preview.

use maud::{Markup, html};

use super::{PublicState, counts_text, is_full, organized_by, photo, state_badge};
use crate::{
    Page, Social,
    components::{
        Field, FormState, Tone, alert, checkbox, field, note, required_marker, rich_text, textarea,
    },
    icons,
    layout::{csrf_field, layout},
    pages::jams::{RoleCount, detail, place},
};

/// Whether a newcomer can only join the waitlist: both roles are full.
fn both_full(base: RoleCount, flyer: RoleCount) -> bool {
    is_full(base) && is_full(flyer)
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
    /// A note on top after a quiet success (the resend form).
    pub notice: Option<&'a str>,
    /// The session's calendar file, `/s/{id}.ics`.
    pub calendar_href: &'a str,
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
                    @if !cancelled {
                        a href=(view.calendar_href) download class="link link-primary self-start inline-flex items-center gap-1" {
                            (icons::calendar_days("size-4 shrink-0")) "Add to calendar"
                        }
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

#[cfg(test)]
mod tests {
    use super::*;

    use crate::test_support::{
        assert_error_beside, forms, head_of, page, post_actions, state, tag,
    };

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
            calendar_href: "/s/d1.ics",
            form,
            problem: None,
            notice: None,
        }
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
        assert!(html.contains(r#"href="/s/d1.ics" download"#) && html.contains("Add to calendar"));
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
            assert_eq!(
                html.contains("/s/d1.ics"),
                state != PublicState::Cancelled,
                "{state:?}: a cancelled session is not added to calendars"
            );
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
}
