//! An email address, normalised (trimmed, lowercased) and checked once at the edge: a function
//! that takes an [`Email`] never checks it again.

use std::fmt;

use serde::{Deserialize, Serialize};

use super::FieldError;

/// A normalised email address (trimmed, lowercased), checked once at the edge.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Email(String);

impl Email {
    pub fn parse(raw: &str) -> Result<Self, FieldError> {
        let email = raw.trim().to_lowercase();
        if email.is_empty() {
            return Err(FieldError("Enter your email address."));
        }
        if email.len() > 254 {
            return Err(FieldError("That email address is too long."));
        }
        let Some((local, domain)) = email.split_once('@') else {
            return Err(FieldError("Enter an email address like name@example.org."));
        };
        // Bidi controls too: an address shown to organizers must read as it is.
        let bad_char = |c: char| {
            c.is_whitespace()
                || c.is_control()
                || super::form::is_bidi_control(c)
                || "<>()[],;:\"\\@".contains(c)
        };
        let valid = !local.is_empty()
            && local.len() <= 64
            && !local.contains(bad_char)
            && domain.contains('.')
            && !domain.starts_with(['.', '-'])
            && !domain.ends_with(['.', '-'])
            && !domain.contains("..")
            && !domain.contains(bad_char);
        if valid {
            Ok(Self(email))
        } else {
            Err(FieldError("Enter an email address like name@example.org."))
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for Email {
    type Error = FieldError;

    fn try_from(raw: String) -> Result<Self, Self::Error> {
        Self::parse(&raw)
    }
}

impl From<Email> for String {
    fn from(email: Email) -> Self {
        email.0
    }
}

impl fmt::Display for Email {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl crate::store::keys::EmailKey for Email {
    fn key_text(&self) -> &str {
        self.as_str()
    }
}
