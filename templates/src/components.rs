//! Small reusable pieces of markup, shared by the pages.

use maud::{Markup, html};

use crate::icons;

/// The tone of an [`alert`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Tone {
    Info,
    Success,
    Error,
}

/// A message box with an icon; errors are announced to screen readers at once.
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
        Tone::Error => (
            "alert-error",
            icons::exclamation_triangle("size-6 shrink-0"),
            "alert",
        ),
    };
    html! {
        div class={ "alert alert-soft " (class) } role=(role) {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_are_percent_encoded() {
        assert_eq!(
            percent_encode("/jams?a=1&b=é"),
            "%2Fjams%3Fa%3D1%26b%3D%C3%A9"
        );
        assert_eq!(percent_encode("plain-text_1.0~"), "plain-text_1.0~");
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
    pub autocomplete: &'a str,
    pub required: bool,
    pub max_length: usize,
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
            autocomplete: "off",
            required: false,
            max_length: 500,
        }
    }
}

pub fn field(field: Field<'_>) -> Markup {
    let id = format!("field-{}", field.name);
    let described = format!("{id}-note");
    html! {
        fieldset class="fieldset" {
            label class="fieldset-legend text-sm" for=(id) { (field.label) }
            input id=(id) name=(field.name) type=(field.kind) value=(field.value)
                class={ "input w-full" @if field.error.is_some() { " input-error" } }
                autocomplete=(field.autocomplete) maxlength=(field.max_length)
                required[field.required]
                aria-invalid=[field.error.map(|_| "true")]
                aria-describedby=(described);
            p id=(described) class={ "label text-sm whitespace-normal" @if field.error.is_some() { " text-error" } } {
                @if let Some(error) = field.error { (error) } @else if let Some(hint) = field.hint { (hint) }
            }
        }
    }
}
