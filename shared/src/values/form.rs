//! A submitted form as the domain reads it: its [`Fields`] by name, and the [`FormErrors`] (one
//! [`FieldError`] per field) it answers with, in words for the person who typed them.

use std::collections::BTreeMap;

/// A form field's input was not acceptable; the message is for the person who typed it.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct FieldError(pub &'static str);

/// The fields of a submitted form, by name (values trimmed on read).
#[derive(Clone, Copy, Debug)]
pub struct Fields<'a>(pub &'a BTreeMap<String, String>);

impl Fields<'_> {
    /// The trimmed value of `name`, empty when absent.
    pub fn get(&self, name: &str) -> &str {
        self.0.get(name).map(|value| value.trim()).unwrap_or("")
    }

    /// Free text of at most `max` characters (empty allowed).
    pub fn text(&self, name: &'static str, max: usize, errors: &mut FormErrors) -> String {
        let value = self.get(name);
        if value.chars().count() > max {
            errors.add(name, format!("At most {max} characters, please."));
            return String::new();
        }
        value.to_owned()
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
