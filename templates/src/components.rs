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
