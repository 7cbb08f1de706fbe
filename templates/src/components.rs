//! Small reusable pieces of markup, shared by the pages.

use std::collections::BTreeMap;

use jamie::{
    bookings::RegistrationStatus,
    values::{Role, RoleChoice},
};
use maud::{Markup, html};

use crate::icons;

/// The tone of an [`alert`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Tone {
    Info,
    Success,
    Warning,
    Error,
}

/// A message box with an icon; errors are announced to screen readers at once. Solid colours:
/// the content colour on the tone keeps at least 4.5:1 in the light and the dark theme (the soft
/// variant does not).
pub fn alert(tone: Tone, message: &str) -> Markup {
    let (class, icon, role) = match tone {
        Tone::Info => (
            "alert-info",
            icons::information_circle("size-6 shrink-0"),
            "status",
        ),
        Tone::Success => (
            "alert-success",
            icons::check_circle("size-6 shrink-0"),
            "status",
        ),
        Tone::Warning => (
            "alert-warning",
            icons::exclamation_triangle("size-6 shrink-0"),
            "status",
        ),
        Tone::Error => (
            "alert-error",
            icons::exclamation_triangle("size-6 shrink-0"),
            "alert",
        ),
    };
    html! {
        div class={ "alert " (class) } role=(role) {
            (icon)
            span { (message) }
        }
    }
}

/// Percent-encodes a value for a URL query or form (everything but unreserved characters).
pub fn percent_encode(value: &str) -> String {
    value
        .bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                char::from(b).to_string()
            }
            other => format!("%{other:02X}"),
        })
        .collect()
}

/// A card explaining one thing Jamie does.
pub fn feature(icon: Markup, title: &str, text: &str) -> Markup {
    html! {
        div class="card bg-base-200" {
            div class="card-body gap-2" {
                div class="text-primary" { (icon) }
                h3 class="card-title text-lg" { (title) }
                p class="text-base-content/80" { (text) }
            }
        }
    }
}

/// A labelled input with its hint and, after a failed submit, its error right beside it.
#[derive(Clone, Copy, Debug)]
pub struct Field<'a> {
    pub label: &'a str,
    pub name: &'a str,
    pub kind: &'a str,
    pub value: &'a str,
    pub error: Option<&'a str>,
    pub hint: Option<&'a str>,
    /// The control's `id` (its note's is this plus `-note`); `field-{name}` when `None`. Two
    /// forms on one page with a field of the same name need different ids.
    pub id: Option<&'a str>,
    pub autocomplete: &'a str,
    /// Marks the field as required: the `required` attribute and a visible "required" beside
    /// the label. Only for fields the server requires too.
    pub required: bool,
    pub max_length: usize,
    /// `min`, `max` and `step` for number, date and time inputs.
    pub min: Option<&'a str>,
    pub max: Option<&'a str>,
    pub step: Option<&'a str>,
}

impl<'a> Field<'a> {
    pub fn new(label: &'a str, name: &'a str) -> Self {
        Self {
            label,
            name,
            kind: "text",
            value: "",
            error: None,
            hint: None,
            id: None,
            autocomplete: "off",
            required: false,
            max_length: 500,
            min: None,
            max: None,
            step: None,
        }
    }

    /// A text field whose value and error come from a submitted form.
    pub fn from_state(label: &'a str, name: &'a str, state: &'a FormState) -> Self {
        Self {
            value: state.value(name),
            error: state.error(name),
            ..Self::new(label, name)
        }
    }
}

pub fn field(field: Field<'_>) -> Markup {
    let id = field
        .id
        .map_or_else(|| format!("field-{}", field.name), str::to_owned);
    let described = format!("{id}-note");
    html! {
        fieldset class="fieldset" {
            label class="fieldset-legend text-sm" for=(id) {
                (field.label)
                @if field.required { (required_marker()) }
            }
            input id=(id) name=(field.name) type=(field.kind) value=(field.value)
                class={ "input w-full" @if field.error.is_some() { " input-error" } }
                autocomplete=(field.autocomplete)
                maxlength=[takes_max_length(field.kind).then_some(field.max_length)]
                min=[field.min] max=[field.max] step=[field.step]
                required[field.required]
                aria-invalid=[field.error.map(|_| "true")]
                aria-describedby=(described);
            (note(&described, field.error, field.hint))
        }
    }
}

/// Whether `maxlength` applies to an input of this type (not to numbers, dates or times).
fn takes_max_length(kind: &str) -> bool {
    matches!(
        kind,
        "text" | "email" | "search" | "url" | "tel" | "password"
    )
}

/// The small "required" beside the label of a control with the `required` attribute (hidden
/// from screen readers, which announce the attribute).
pub fn required_marker() -> Markup {
    html! {
        span class="text-xs font-normal text-base-content/70" aria-hidden="true" { "required" }
    }
}

/// The line under a control: its error after a failed submit, otherwise its hint. An error is
/// in the full text colour with an icon, not in the error colour (too faint on light
/// backgrounds for small text).
pub fn note(id: &str, error: Option<&str>, hint: Option<&str>) -> Markup {
    html! {
        @if let Some(error) = error {
            p id=(id) class="label text-sm whitespace-normal items-start text-base-content font-medium" {
                (icons::exclamation_triangle("size-4 shrink-0 mt-0.5 text-error"))
                span { (error) }
            }
        } @else {
            p id=(id) class="label text-sm whitespace-normal" {
                @if let Some(hint) = hint { (hint) }
            }
        }
    }
}

/// A form's values as typed and the error beside each field, both keyed by field name.
#[derive(Clone, Debug, Default)]
pub struct FormState {
    pub values: BTreeMap<String, String>,
    pub errors: BTreeMap<String, String>,
}

impl FormState {
    /// The value typed into `name`, or "" when there is none.
    pub fn value(&self, name: &str) -> &str {
        self.values.get(name).map_or("", String::as_str)
    }

    /// What is wrong with `name`, if anything.
    pub fn error(&self, name: &str) -> Option<&str> {
        self.errors.get(name).map(String::as_str)
    }

    pub fn has_errors(&self) -> bool {
        !self.errors.is_empty()
    }
}

/// A text-like input (kind = "text", "date", "time", "number", "email") taking value and error
/// from state; built on [`Field`]/[`field`].
pub fn input(label: &str, name: &str, kind: &str, state: &FormState, hint: Option<&str>) -> Markup {
    field(Field {
        kind,
        hint,
        ..Field::from_state(label, name, state)
    })
}

/// A `<select>` with label, options (value, label), selected from state, error/hint beside it.
pub fn select(
    label: &str,
    name: &str,
    options: &[(&str, &str)],
    state: &FormState,
    hint: Option<&str>,
) -> Markup {
    let id = format!("field-{name}");
    let described = format!("{id}-note");
    let selected = state.value(name);
    let error = state.error(name);
    html! {
        fieldset class="fieldset" {
            label class="fieldset-legend text-sm" for=(id) { (label) }
            select id=(id) name=(name)
                class={ "select w-full" @if error.is_some() { " select-error" } }
                aria-invalid=[error.map(|_| "true")]
                aria-describedby=(described) {
                @for (value, text) in options {
                    option value=(value) selected[*value == selected] { (text) }
                }
            }
            (note(&described, error, hint))
        }
    }
}

/// A `<textarea>` with label, value/error from state, hint, maxlength.
pub fn textarea(
    label: &str,
    name: &str,
    state: &FormState,
    hint: Option<&str>,
    max_length: usize,
) -> Markup {
    let id = format!("field-{name}");
    let described = format!("{id}-note");
    let error = state.error(name);
    html! {
        fieldset class="fieldset" {
            label class="fieldset-legend text-sm" for=(id) { (label) }
            textarea id=(id) name=(name) rows="4" maxlength=(max_length)
                class={ "textarea w-full" @if error.is_some() { " textarea-error" } }
                aria-invalid=[error.map(|_| "true")]
                aria-describedby=(described) { (state.value(name)) }
            (note(&described, error, hint))
        }
    }
}

/// Plain text with its line breaks kept and http(s):// links made clickable
/// (rel="nofollow noopener noreferrer", target=_blank); everything else escaped, so no HTML gets
/// in. Blank lines separate paragraphs. Trailing punctuation .,;:!?) is not part of a link (a `)`
/// closing a `(` inside the link is, as in Wikipedia addresses). A link ends at a bidirectional
/// control character, so its text reads as its address does.
pub fn rich_text(text: &str) -> Markup {
    // Stored before bidirectional controls were stripped at parsing, a text may still hold some.
    let text: String = text
        .chars()
        .filter(|c| !jamie::values::is_bidi_control(*c))
        .collect();
    let mut paragraphs: Vec<Vec<&str>> = Vec::new();
    let mut blank = true;
    for line in text.lines() {
        if line.trim().is_empty() {
            blank = true;
        } else if let (false, Some(paragraph)) = (blank, paragraphs.last_mut()) {
            paragraph.push(line);
        } else {
            paragraphs.push(vec![line]);
            blank = false;
        }
    }
    html! {
        @for paragraph in paragraphs {
            p {
                @for (i, line) in paragraph.iter().enumerate() {
                    @if i > 0 { br; }
                    @for (piece, is_link) in link_pieces(line) {
                        @if is_link {
                            a href=(piece) rel="nofollow noopener noreferrer" target="_blank"
                                class="link link-primary break-all" { (piece) }
                        } @else {
                            (piece)
                        }
                    }
                }
            }
        }
    }
}

/// A line cut into plain text and links, in order.
pub(crate) fn link_pieces(line: &str) -> Vec<(&str, bool)> {
    let mut pieces = Vec::new();
    let mut rest = line;
    while let Some((start, end)) = next_link(rest) {
        if start > 0 {
            pieces.push((&rest[..start], false));
        }
        pieces.push((&rest[start..end], true));
        rest = &rest[end..];
    }
    if !rest.is_empty() {
        pieces.push((rest, false));
    }
    pieces
}

/// The byte range of the first http(s) link in `text` that starts a word.
fn next_link(text: &str) -> Option<(usize, usize)> {
    // ASCII lowercasing keeps every byte where it was.
    let lower = text.to_ascii_lowercase();
    let mut from = 0;
    while let Some(found) = lower[from..].find("http") {
        let start = from + found;
        let scheme = ["https://", "http://"]
            .into_iter()
            .find(|scheme| lower[start..].starts_with(scheme))
            .map_or(0, str::len);
        let starts_word = text[..start]
            .chars()
            .next_back()
            .is_none_or(|c| !c.is_alphanumeric());
        if scheme == 0 || !starts_word {
            from = start + 4;
            continue;
        }
        let mut end = text[start..]
            // A bidirectional control ends a link: inside one it could make the address read
            // as another ("moc.live" shown as "evil.com").
            .find(|c: char| {
                c.is_whitespace()
                    || matches!(c, '<' | '>' | '"')
                    || jamie::values::is_bidi_control(c)
            })
            .map_or(text.len(), |len| start + len);
        while let Some(last) = text[start..end].chars().next_back() {
            let link = &text[start..end];
            let unbalanced = last == ')' && link.matches(')').count() > link.matches('(').count();
            if matches!(last, '.' | ',' | ';' | ':' | '!' | '?') || unbalanced {
                end -= 1;
            } else {
                break;
            }
        }
        if end > start + scheme {
            return Some((start, end));
        }
        from = start + scheme;
    }
    None
}

/// A checkbox with its label, ticked when the form sent `value`, its error beside it.
pub fn checkbox(
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

/// "1st", "2nd", "3rd", "4th", "11th", "21st": a place in a queue.
pub fn ordinal(n: usize) -> String {
    let suffix = match (n % 10, n % 100) {
        (_, 11..=13) => "th",
        (1, _) => "st",
        (2, _) => "nd",
        (3, _) => "rd",
        _ => "th",
    };
    format!("{n}{suffix}")
}

/// "Base", "Flyer": a role as a label.
pub fn role_label(role: Role) -> &'static str {
    match role {
        Role::Base => "Base",
        Role::Flyer => "Flyer",
    }
}

/// "Base", "Flyer", "Either": a requested role as a label.
pub fn choice_label(choice: RoleChoice) -> &'static str {
    match choice {
        RoleChoice::Base => "Base",
        RoleChoice::Flyer => "Flyer",
        RoleChoice::Either => "Either",
    }
}

/// The role a registration stands for: the one it holds once confirmed, otherwise the one it
/// asked for.
pub fn standing(
    status: RegistrationStatus,
    requested: RoleChoice,
    role: Option<Role>,
) -> RoleChoice {
    match (status, role) {
        (RegistrationStatus::Confirmed, Some(Role::Base)) => RoleChoice::Base,
        (RegistrationStatus::Confirmed, Some(Role::Flyer)) => RoleChoice::Flyer,
        _ => requested,
    }
}

/// The role a registration holds ("Role: Base") or, until confirmed, asked for
/// ("Asked for: Either").
pub fn role_line(status: RegistrationStatus, requested: RoleChoice, role: Option<Role>) -> Markup {
    html! {
        span class="text-sm whitespace-nowrap" {
            @if status == RegistrationStatus::Confirmed { "Role: " } @else { "Asked for: " }
            (choice_label(standing(status, requested, role)))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::state;

    #[test]
    fn values_are_percent_encoded() {
        assert_eq!(
            percent_encode("/jams?a=1&b=é"),
            "%2Fjams%3Fa%3D1%26b%3D%C3%A9"
        );
        assert_eq!(percent_encode("plain-text_1.0~"), "plain-text_1.0~");
    }

    #[test]
    fn places_in_a_queue_read_as_ordinals() {
        let read: Vec<String> = [1, 2, 3, 4, 11, 12, 13, 21, 22, 101, 111]
            .into_iter()
            .map(ordinal)
            .collect();
        assert_eq!(
            read,
            [
                "1st", "2nd", "3rd", "4th", "11th", "12th", "13th", "21st", "22nd", "101st",
                "111th"
            ]
        );
    }

    #[test]
    fn error_alerts_are_announced() {
        let html = alert(Tone::Error, "Something <broke>").into_string();
        assert!(html.contains(r#"role="alert""#));
        assert!(html.contains("alert-error"));
        assert!(html.contains("Something &lt;broke&gt;"));
        assert!(
            alert(Tone::Info, "x")
                .into_string()
                .contains(r#"role="status""#)
        );
    }

    #[test]
    fn alerts_are_solid() {
        for (tone, class) in [
            (Tone::Info, "alert-info"),
            (Tone::Success, "alert-success"),
            (Tone::Warning, "alert-warning"),
            (Tone::Error, "alert-error"),
        ] {
            let html = alert(tone, "x").into_string();
            assert!(
                html.starts_with(&format!(r#"<div class="alert {class}" role="#)),
                "{html}"
            );
        }
    }

    #[test]
    fn a_field_can_take_its_own_id_and_shows_required() {
        let html = field(Field {
            id: Some("field-password-email"),
            required: true,
            hint: Some("Hint."),
            ..Field::new("Email", "email")
        })
        .into_string();
        assert!(html.contains(r#"<label class="fieldset-legend text-sm" for="field-password-email">Email<span class="text-xs font-normal text-base-content/70" aria-hidden="true">required</span></label>"#));
        assert!(html.contains(r#"<input id="field-password-email" name="email""#));
        assert!(html.contains(r#" required aria-describedby="field-password-email-note">"#));
        assert!(html.contains(
            r#"<p id="field-password-email-note" class="label text-sm whitespace-normal">Hint.</p>"#
        ));

        let html = field(Field::new("Name", "name")).into_string();
        assert!(html.contains(r#"for="field-name">Name</label>"#));
        assert!(!html.contains("required"));
    }

    #[test]
    fn form_state_gives_values_and_errors_by_name() {
        let form = state(&[("name", "Sunday jam")], &[("venue", "Say where.")]);
        assert_eq!(form.value("name"), "Sunday jam");
        assert_eq!(form.value("missing"), "");
        assert_eq!(form.error("venue"), Some("Say where."));
        assert_eq!(form.error("name"), None);
        assert!(form.has_errors());
        assert!(!FormState::default().has_errors());
    }

    #[test]
    fn rich_text_escapes_html() {
        let html = rich_text("<script>alert(1)</script> & <b>bold</b>").into_string();
        assert!(!html.contains("<script>"));
        assert!(!html.contains("<b>"));
        assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt; &amp; &lt;b&gt;"));
    }

    #[test]
    fn rich_text_links_http_and_https_without_trailing_punctuation() {
        let html =
            rich_text("See https://example.org/jam?a=1&b=2. Or (http://x.org/a)!").into_string();
        assert!(html.contains(
            r#"<a href="https://example.org/jam?a=1&amp;b=2" rel="nofollow noopener noreferrer" target="_blank""#
        ));
        assert!(html.contains(">https://example.org/jam?a=1&amp;b=2</a>. Or ("));
        assert!(html.contains(r#"href="http://x.org/a""#));
        assert!(html.contains("</a>)!"));
        let wiki = rich_text("https://en.wikipedia.org/wiki/Acroyoga_(dance), nice").into_string();
        assert!(wiki.contains(r#"href="https://en.wikipedia.org/wiki/Acroyoga_(dance)""#));
        assert!(wiki.contains("</a>, nice"));
    }

    #[test]
    fn links_hold_no_bidi_controls() {
        // U+202E would show "https://example.org/\u{202E}gpj.exe" as "…/exe.jpg".
        assert_eq!(
            link_pieces("see https://example.org/\u{202E}gpj.exe"),
            vec![
                ("see ", false),
                ("https://example.org/", true),
                ("\u{202E}gpj.exe", false)
            ]
        );
        let html = rich_text("https://evil.example/\u{2067}moc.elpmaxe\u{2069} ok").into_string();
        assert!(
            !html.contains('\u{2067}') && !html.contains('\u{2069}'),
            "{html}"
        );
        assert!(
            html.contains(r#"href="https://evil.example/moc.elpmaxe""#),
            "{html}"
        );
    }

    #[test]
    fn rich_text_links_nothing_but_http() {
        for text in [
            "javascript:alert(1)",
            "click javascript://http://x.org",
            "data:text/html,hi",
            "xhttps://evil.example",
            "https:// nothing",
            "<a href=\"https://x.org\">x</a>",
        ] {
            let html = rich_text(text).into_string();
            assert!(!html.contains("href=\"javascript"), "{text}: {html}");
            assert!(!html.contains("href=\"data"), "{text}: {html}");
            assert!(!html.contains("href=\"xhttps"), "{text}: {html}");
            assert!(
                !html.contains("<a href=\"https://x.org\">x"),
                "{text}: {html}"
            );
        }
        assert!(!rich_text("https:// nothing").into_string().contains("<a"));
        let quoted = rich_text("<a href=\"https://x.org\">x</a>").into_string();
        assert!(
            quoted.contains(r#"<a href="https://x.org" rel="#),
            "{quoted}"
        );
    }

    #[test]
    fn rich_text_keeps_line_breaks_and_paragraphs() {
        let html = rich_text("Bring water\r\nand a mat\n\nSee you!\n").into_string();
        assert_eq!(html, "<p>Bring water<br>and a mat</p><p>See you!</p>");
        assert_eq!(rich_text("  \n\n ").into_string(), "");
    }

    #[test]
    fn controls_show_their_value_and_the_error_beside_them() {
        let form = state(
            &[("weekday", "tue"), ("notes", "a <b>")],
            &[("weekday", "Pick a day."), ("notes", "Too long.")],
        );
        let html = select(
            "Day",
            "weekday",
            &[("", "None"), ("mon", "Monday"), ("tue", "Tuesday")],
            &form,
            None,
        )
        .into_string();
        assert!(html.contains(r#"<option value="tue" selected>Tuesday</option>"#));
        assert!(html.contains(r#"<option value="mon">Monday</option>"#));
        assert!(html.contains(r#"aria-invalid="true" aria-describedby="field-weekday-note""#));
        assert!(html.contains(r#"<p id="field-weekday-note" class="label text-sm whitespace-normal items-start text-base-content font-medium"><svg"#));
        assert!(html.contains("<span>Pick a day.</span></p>"));

        let html = textarea("Notes", "notes", &form, Some("hint"), 100).into_string();
        assert!(html.contains(r#"maxlength="100""#));
        assert!(html.contains(">a &lt;b&gt;</textarea>"));
        assert!(html.contains("Too long.") && !html.contains("hint"));

        let html = input("Date", "date", "date", &form, Some("When.")).into_string();
        assert!(html.contains(r#"type="date""#) && html.contains("When."));
        assert!(!html.contains("maxlength"), "dates take no maxlength");
        assert!(!html.contains("aria-invalid"));
    }
}
