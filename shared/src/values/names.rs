//! A person's display name as organizers and participants see it: trimmed, one line, bounded.

use serde::{Deserialize, Serialize};

use super::{Email, FieldError, plain_text};

/// The name an organizer shows to participants: 1 to 80 characters, no control characters, no
/// bidirectional controls (removed: [`plain_text`]).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct DisplayName(String);

impl DisplayName {
    pub const MAX_CHARS: usize = 80;

    pub fn parse(raw: &str) -> Result<Self, FieldError> {
        let name = plain_text(raw);
        let name = name.as_str();
        if name.is_empty() {
            return Err(FieldError("Enter the name participants will see."));
        }
        if name.chars().count() > Self::MAX_CHARS {
            return Err(FieldError("Keep the name to 80 characters or fewer."));
        }
        if name.chars().any(char::is_control) {
            return Err(FieldError(
                "The name cannot contain line breaks or control characters.",
            ));
        }
        Ok(Self(name.to_owned()))
    }

    /// A first name for a new account that did not give one: the email's local part.
    pub fn from_email(email: &Email) -> Self {
        let local = email.as_str().split('@').next().unwrap_or("jammer");
        let name: String = local.chars().take(Self::MAX_CHARS).collect();
        Self(name)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for DisplayName {
    type Error = FieldError;

    fn try_from(raw: String) -> Result<Self, Self::Error> {
        Self::parse(&raw)
    }
}

impl From<DisplayName> for String {
    fn from(name: DisplayName) -> Self {
        name.0
    }
}
