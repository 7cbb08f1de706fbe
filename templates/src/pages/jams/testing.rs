//! What the jam pages' view tests share: a page, the CSRF check of every POST form, and
//! finding a control and the error beside it.

use crate::{Page, Theme, Viewer, pages::jams::SessionLinks, test_support::forms};

pub const CSRF: &str = r#"<input type="hidden" name="csrf" value="tok">"#;

pub fn page() -> Page<'static> {
    Page::new("Jam", "/jams/s1", Theme::System)
        .csrf("tok")
        .viewer(Some(Viewer {
            name: "Ana",
            superadmin: false,
        }))
}

/// Every POST form but those going to `except` carries the CSRF token; returns their actions.
pub fn assert_post_forms_have_csrf(html: &str, except: Option<&str>) -> Vec<String> {
    let mut actions = Vec::new();
    for form in forms(html) {
        let tag = &form[..form.find('>').unwrap()];
        let action = tag
            .split("action=\"")
            .nth(1)
            .and_then(|rest| rest.split('"').next())
            .unwrap_or("")
            .to_owned();
        if !tag.contains(r#"method="post""#) || except == Some(action.as_str()) {
            continue;
        }
        assert!(form.contains(CSRF), "form to {action} lacks the CSRF token");
        actions.push(action);
    }
    actions
}

/// The error is the note of the named control, which is marked invalid and points to it.
pub fn assert_error_beside(html: &str, name: &str, error: &str) {
    let note = format!("field-{name}-note");
    let control = html
        .split(&format!(r#"id="field-{name}""#))
        .nth(1)
        .unwrap_or_else(|| panic!("no control {name}"));
    let tag = &control[..control.find('>').unwrap()];
    assert!(tag.contains(r#"aria-invalid="true""#), "{name} not invalid");
    assert!(tag.contains(&format!(r#"aria-describedby="{note}""#)));
    let after = html.split(&format!(r#"id="{note}""#)).nth(1).unwrap();
    assert!(
        after[..after.find("</p>").unwrap()].contains(error),
        "{name}: {error} not in its note"
    );
}

/// The opening tag of the first input, select or textarea named `name`.
pub fn control<'h>(html: &'h str, name: &str) -> &'h str {
    html.match_indices(&format!(r#" name="{name}""#))
        .map(|(at, _)| {
            let start = html[..at].rfind('<').unwrap();
            &html[start..at + html[at..].find('>').unwrap()]
        })
        .find(|tag| {
            ["<input", "<select", "<textarea"]
                .iter()
                .any(|t| tag.starts_with(t))
        })
        .unwrap_or_else(|| panic!("no control {name}"))
}

/// Whether the control `name` is required (attribute) and its label says so (marker), as a
/// pair; panics when one is without the other.
pub fn required(html: &str, name: &str) -> bool {
    let tag = control(html, name);
    let attribute = tag.contains(" required");
    let id = tag
        .split(r#"id=""#)
        .nth(1)
        .unwrap()
        .split('"')
        .next()
        .unwrap();
    let label = html.split(&format!(r#"for="{id}""#)).nth(1).unwrap();
    let marker =
        label[..label.find("</label>").unwrap()].contains(r#"aria-hidden="true">required</span>"#);
    assert_eq!(attribute, marker, "{name}: attribute and marker disagree");
    attribute
}

pub fn links(session: &str) -> SessionLinks {
    let manage = format!("/jams/s1/sessions/{session}");
    SessionLinks {
        public: format!("/s/{session}"),
        share_url: format!("https://jamie.example/s/{session}"),
        registrations: format!("{manage}/registrations"),
        checkin: format!("{manage}/checkin"),
        csv: format!("{manage}/registrations.csv"),
        add: format!("{manage}/registrations#add-someone"),
        manage,
    }
}
