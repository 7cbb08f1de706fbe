//! The series form, for a new series or an edit (details, place, price, capacity, booking
//! rules, time zone), and the place autocomplete's suggestions.

use maud::{Markup, html};

use super::fields::{capacity_fields, cost_fields};
use crate::{
    Page, Script,
    components::{Field, FormState, Tone, alert, checkbox, field, input, note, select, textarea},
    icons,
    layout::{csrf_field, layout},
};

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
    /// The owner's address, for the Reply-To setting: shown to the owner (and on a new
    /// series, which the reader will own); `None` for a co-organizer.
    pub owner_email: Option<&'a str>,
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
        (checkbox(form, "confirm_by_email", html! { "Confirm registrations by email" }, false,
            Some("Against made-up sign-ups: someone who registers on the public page keeps their spot (or waitlist place) only if they press the link in their email within 30 minutes. Otherwise the spot is released and goes to the next person. People you add yourself are never asked.")))
    }
}

/// What participants' emails do: a second reminder, and where replies go (the owner's address,
/// named when the reader is the owner).
fn email_fields(form: &FormState, owner_email: Option<&str>) -> Markup {
    html! {
        (checkbox(form, "remind_two_hours", html! { "Also remind people 2 hours before" }, false,
            Some("Everyone with a spot gets a reminder the day before; this adds a second one about 2 hours before the start.")))
        (checkbox(form, "replies_to_owner", html! {
            "Replies to emails about this series go to the owner's address"
            @if let Some(address) = owner_email { " (" span class="break-all" { (address) } ")" }
        }, false,
            Some("Confirmations, reminders, changes and your messages carry it as their Reply-To, so when someone answers, the owner gets it. Off: replies go to Jamie's sending address, which nobody reads.")))
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
                    (group("Emails to participants", email_fields(form, view.owner_email)))
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pages::jams::testing::*;
    use crate::test_support::state;

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
                ("remind_two_hours", "yes"),
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
                owner_email: Some("olga@example.org"),
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
        // Emails: the second reminder as sent, the Reply-To off, each saying what it does.
        let remind = control(&html, "remind_two_hours");
        assert!(
            remind.contains(r#"name="remind_two_hours" value="yes""#)
                && remind.contains(" checked")
        );
        assert!(html.contains("Also remind people 2 hours before"));
        let replies = control(&html, "replies_to_owner");
        assert!(!replies.contains(" checked"), "off unless chosen");
        assert!(html.contains(
            r#"Replies to emails about this series go to the owner's address (<span class="break-all">olga@example.org</span>)"#
        ));
        assert!(html.contains("carry it as their Reply-To"));
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
            "Emails to participants",
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
                owner_email: None,
            },
        )
        .into_string();
        assert!(!html.contains("place_query") && !html.contains("hx-get"));
        assert!(html.contains("Check the fields below."));
        // Without cut-offs there is nothing to choose from; "either" still is.
        assert!(!html.contains("closes_minutes_before"));
        assert!(control(&html, "either_first").starts_with(r#"<select id="field-either_first""#));
        assert!(!html.contains(" selected>A"), "nothing chosen yet");
        // A co-organizer is not shown the owner's address.
        assert!(
            html.contains("go to the owner's address</span>"),
            "no address named"
        );
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
}
