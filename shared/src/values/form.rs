//! A submitted form as the domain reads it: its [`Fields`] by name, and the [`FormErrors`] (one
//! [`FieldError`] per field) it answers with, in words for the person who typed them.

use std::collections::BTreeMap;

/// A form field's input was not acceptable; the message is for the person who typed it.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct FieldError(pub &'static str);

/// Whether `c` is a bidirectional control character (embeddings and overrides U+202A–U+202E,
/// isolates U+2066–U+2069, the marks U+200E, U+200F and U+061C): invisible, they reorder the
/// text around them, so "moc.elpmaxe" can read as "example.com". No name or note needs them.
pub fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{200E}' | '\u{200F}' | '\u{061C}')
}

/// Typed text as the domain keeps it: bidirectional controls ([`is_bidi_control`]) removed,
/// then trimmed. Every free-text field (names, notes, descriptions, messages) is read through it.
pub fn plain_text(raw: &str) -> String {
    raw.chars()
        .filter(|c| !is_bidi_control(*c))
        .collect::<String>()
        .trim()
        .to_owned()
}

/// The fields of a submitted form, by name (values trimmed on read).
#[derive(Clone, Copy, Debug)]
pub struct Fields<'a>(pub &'a BTreeMap<String, String>);

impl Fields<'_> {
    /// The trimmed value of `name`, empty when absent.
    pub fn get(&self, name: &str) -> &str {
        self.0.get(name).map(|value| value.trim()).unwrap_or("")
    }

    /// Free text of at most `max` characters (empty allowed), as [`plain_text`] keeps it.
    pub fn text(&self, name: &'static str, max: usize, errors: &mut FormErrors) -> String {
        let value = plain_text(self.get(name));
        if value.chars().count() > max {
            errors.add(name, format!("At most {max} characters, please."));
            return String::new();
        }
        value
    }

    /// The value of `name` parsed by `parse`, or `None` with its error recorded.
    pub fn parse_with<T>(
        &self,
        name: &'static str,
        parse: impl FnOnce(&str) -> Result<T, FieldError>,
        errors: &mut FormErrors,
    ) -> Option<T> {
        parse(self.get(name))
            .map_err(|error| errors.add(name, error.0))
            .ok()
    }
}

/// What is wrong with a submitted form, by field name, in words for the person who typed it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct FormErrors(pub BTreeMap<&'static str, String>);

impl FormErrors {
    /// Records the first problem of `field`.
    pub fn add(&mut self, field: &'static str, message: impl Into<String>) {
        self.0.entry(field).or_insert_with(|| message.into());
    }

    pub fn has(&self, field: &str) -> bool {
        self.0.contains_key(field)
    }

    pub fn any(&self) -> bool {
        !self.0.is_empty()
    }

    /// One problem on `field`.
    pub fn single(field: &'static str, message: impl Into<String>) -> Self {
        let mut errors = Self::default();
        errors.add(field, message);
        errors
    }
}
