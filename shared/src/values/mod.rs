//! The domain's values: the small types every module speaks in (an [`Email`], a
//! [`DisplayName`], a [`Role`], a form's [`Fields`] and [`FormErrors`]), parsed once at the edge.

mod email;
mod form;
mod names;
mod role;
mod time_zone;

pub use email::Email;
pub use form::{FieldError, Fields, FormErrors, is_bidi_control, plain_text};
pub use names::DisplayName;
pub use role::{Role, RoleChoice, Waiter};
pub use time_zone::TimeZone;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emails_are_normalised() {
        assert_eq!(
            Email::parse("  Ana@Example.ORG ").unwrap().as_str(),
            "ana@example.org"
        );
        assert_eq!(
            Email::parse("first.last+jams@sub.example.co.uk")
                .unwrap()
                .as_str(),
            "first.last+jams@sub.example.co.uk"
        );
    }

    #[test]
    fn malformed_emails_are_refused_with_a_message() {
        assert_eq!(
            Email::parse(" "),
            Err(FieldError("Enter your email address."))
        );
        for bad in [
            "ana",
            "ana@",
            "@example.org",
            "ana@example",
            "ana@@example.org",
            "a na@example.org",
            "ana@example..org",
            "ana@.example.org",
            "<ana>@example.org",
            "ana\u{202E}gro.elpmaxe@example.org",
            "ana@exa\u{2067}mple.org",
        ] {
            assert!(Email::parse(bad).is_err(), "{bad}");
        }
        let long = format!("{}@example.org", "a".repeat(250));
        assert_eq!(
            Email::parse(&long),
            Err(FieldError("That email address is too long."))
        );
    }

    #[test]
    fn display_names_are_trimmed_and_bounded() {
        assert_eq!(
            DisplayName::parse("  Ana Flyer ").unwrap().as_str(),
            "Ana Flyer"
        );
        assert!(DisplayName::parse("").is_err());
        assert!(DisplayName::parse(&"é".repeat(80)).is_ok());
        assert!(DisplayName::parse(&"é".repeat(81)).is_err());
        assert!(DisplayName::parse("Ana\nBase").is_err());
        let email = Email::parse("ana.base@example.org").unwrap();
        assert_eq!(DisplayName::from_email(&email).as_str(), "ana.base");
    }

    #[test]
    fn bidi_controls_are_stripped_from_names_and_text() {
        let every = "\u{202A}\u{202B}\u{202C}\u{202D}\u{202E}\u{2066}\u{2067}\u{2068}\u{2069}\u{200E}\u{200F}\u{061C}";
        assert_eq!(
            DisplayName::parse(&format!(" Ana{every} Flyer\u{202E}gpj.exe "))
                .unwrap()
                .as_str(),
            "Ana Flyergpj.exe"
        );
        assert!(
            DisplayName::parse(every).is_err(),
            "nothing left is no name"
        );
        assert_eq!(plain_text(&format!("{every} a\u{202E}b {every}")), "ab");
        // Other invisible-but-meaningful characters stay: joiners shape emoji and scripts.
        assert_eq!(plain_text("👩\u{200D}💻"), "👩\u{200D}💻");
        let mut errors = FormErrors::default();
        let form = std::collections::BTreeMap::from([(
            "note".to_owned(),
            "bring\u{2067} a mat".to_owned(),
        )]);
        assert_eq!(Fields(&form).text("note", 11, &mut errors), "bring a mat");
        assert!(
            !errors.any(),
            "the controls do not count towards the length"
        );
    }
}
