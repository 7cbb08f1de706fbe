//! Jamie's views: the one layout every page uses, its components, the pages, and the static
//! assets (stylesheet, htmx, theme script) embedded in the binary under content-hashed names.
//! `emails` renders each email as HTML and text. Views take plain data and the domain's types
//! and return `Markup`; they never touch the store or HTTP.

pub mod assets;
pub mod calendar_files;
pub mod components;
pub mod emails;
pub mod icons;
pub mod layout;
pub mod letters;
pub mod pages;
pub mod when;

pub use layout::{Page, Script, Scripts, Social, Theme, Viewer, csrf_field, layout};
pub use maud::Markup;

#[cfg(test)]
mod tests {
    /// The view sources (this file aside, which names the classes it looks for).
    const SOURCES: [(&str, &str); 30] = [
        ("components.rs", include_str!("components.rs")),
        ("layout.rs", include_str!("layout.rs")),
        ("pages/account.rs", include_str!("pages/account.rs")),
        ("pages/admin.rs", include_str!("pages/admin.rs")),
        ("pages/auth.rs", include_str!("pages/auth.rs")),
        ("pages/calendar.rs", include_str!("pages/calendar.rs")),
        ("pages/dashboard.rs", include_str!("pages/dashboard.rs")),
        ("pages/error.rs", include_str!("pages/error.rs")),
        ("pages/home.rs", include_str!("pages/home.rs")),
        ("pages/jams/mod.rs", include_str!("pages/jams/mod.rs")),
        (
            "pages/jams/confirm.rs",
            include_str!("pages/jams/confirm.rs"),
        ),
        ("pages/jams/fields.rs", include_str!("pages/jams/fields.rs")),
        ("pages/jams/invite.rs", include_str!("pages/jams/invite.rs")),
        ("pages/jams/photo.rs", include_str!("pages/jams/photo.rs")),
        (
            "pages/jams/schedule.rs",
            include_str!("pages/jams/schedule.rs"),
        ),
        ("pages/jams/series.rs", include_str!("pages/jams/series.rs")),
        (
            "pages/jams/series_form.rs",
            include_str!("pages/jams/series_form.rs"),
        ),
        (
            "pages/jams/session.rs",
            include_str!("pages/jams/session.rs"),
        ),
        ("pages/mailbox.rs", include_str!("pages/mailbox.rs")),
        ("pages/mod.rs", include_str!("pages/mod.rs")),
        (
            "pages/organizer/mod.rs",
            include_str!("pages/organizer/mod.rs"),
        ),
        (
            "pages/organizer/checkin.rs",
            include_str!("pages/organizer/checkin.rs"),
        ),
        (
            "pages/organizer/registration.rs",
            include_str!("pages/organizer/registration.rs"),
        ),
        (
            "pages/organizer/registrations.rs",
            include_str!("pages/organizer/registrations.rs"),
        ),
        ("pages/public/mod.rs", include_str!("pages/public/mod.rs")),
        (
            "pages/public/cancel.rs",
            include_str!("pages/public/cancel.rs"),
        ),
        ("pages/public/mine.rs", include_str!("pages/public/mine.rs")),
        (
            "pages/public/registered.rs",
            include_str!("pages/public/registered.rs"),
        ),
        (
            "pages/public/series.rs",
            include_str!("pages/public/series.rs"),
        ),
        (
            "pages/public/session.rs",
            include_str!("pages/public/session.rs"),
        ),
    ];

    /// In daisyUI's light theme the status colours (info, success, warning, error) are under
    /// 4.5:1 as text on the base colours, so text never takes them: soft and outline variants
    /// (coloured text) are out, solid ones (their content colour on the status colour) are in,
    /// and `text-{status}` colours icons only.
    #[test]
    fn status_colours_never_colour_small_text() {
        for (file, source) in SOURCES {
            let views = source.split("#[cfg(test)]").next().unwrap_or_default();
            for (number, line) in views.lines().enumerate() {
                let at = format!("{file}:{}: {}", number + 1, line.trim());
                for variant in [
                    "alert-soft",
                    "badge-soft",
                    "btn-soft",
                    "alert-outline",
                    "alert-dash",
                ] {
                    assert!(!line.contains(variant), "{at}");
                }
                assert!(!line.contains("btn-outline btn-"), "{at}");
                for status in ["info", "success", "warning", "error"] {
                    let colour = format!("text-{status}");
                    if line.contains(&colour) && !line.contains(&format!("{colour}-content")) {
                        assert!(line.contains("icons::"), "{at}: text-{status} on text");
                    }
                }
                assert!(
                    !line.contains("opacity-"),
                    "{at}: opacity dims text below 4.5:1"
                );
            }
        }
    }
}

/// What the view tests share: a form state from pairs, and the forms of a page.
#[cfg(test)]
pub(crate) mod test_support {
    use crate::{Page, Theme, components::FormState};

    pub fn state(values: &[(&str, &str)], errors: &[(&str, &str)]) -> FormState {
        let map = |pairs: &[(&str, &str)]| {
            pairs
                .iter()
                .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
                .collect()
        };
        FormState {
            values: map(values),
            errors: map(errors),
        }
    }

    /// The zone the view tests read their times in.
    pub fn berlin() -> &'static jiff::tz::TimeZone {
        static BERLIN: std::sync::LazyLock<jiff::tz::TimeZone> =
            std::sync::LazyLock::new(|| jiff::tz::TimeZone::get("Europe/Berlin").unwrap());
        &BERLIN
    }

    /// Each `<form …>…</form>` of the page, opening tag included.
    pub fn forms(html: &str) -> Vec<&str> {
        html.split("<form ")
            .skip(1)
            .map(|rest| &rest[..rest.find("</form>").expect("closed form")])
            .collect()
    }

    /// The CSRF field every POST form carries in the view tests.
    pub const CSRF: &str = r#"<input type="hidden" name="csrf" value="tok">"#;

    /// A page of a session, with the CSRF token `tok`.
    pub fn page() -> Page<'static> {
        Page::new("Jam", "/s/d1", Theme::System).csrf("tok")
    }

    /// Every POST form carries the CSRF token; returns their actions, in order.
    pub fn post_actions(html: &str) -> Vec<String> {
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
    pub fn tag<'h>(html: &'h str, id: &str) -> &'h str {
        let at = html
            .find(&format!(r#" id="{id}""#))
            .unwrap_or_else(|| panic!("no #{id}"));
        let start = html[..at].rfind('<').unwrap();
        &html[start..at + html[at..].find('>').unwrap()]
    }

    /// The error is the note of the control `id`, which is marked invalid and points to it.
    pub fn assert_error_beside(html: &str, id: &str, error: &str) {
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

    pub fn head_of(html: &str) -> &str {
        &html[..html.find("</head>").unwrap()]
    }
}
