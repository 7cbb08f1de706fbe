//! Error pages: what went wrong in the reader's terms and what to do next. Nothing internal.

use maud::{Markup, html};

use crate::{Page, icons, layout::layout};

/// A page for an HTTP error `status` with a heading and an explanation.
/// The way on that an error page offers first, where it knows a better one than the home page
/// (a fresh sign-in link for a used one).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct NextStep {
    pub href: &'static str,
    pub label: &'static str,
}

pub fn error(
    page: &Page<'_>,
    status: u16,
    heading: &str,
    explanation: &str,
    next: Option<NextStep>,
) -> Markup {
    layout(
        page,
        html! {
            section class="max-w-xl mx-auto text-center py-10 flex flex-col items-center gap-4" aria-labelledby="error-title" {
                div class="text-warning" { (icons::exclamation_triangle("size-12")) }
                p class="text-sm font-mono text-base-content/70" { "Error " (status) }
                h1 id="error-title" class="text-3xl font-bold" { (heading) }
                p class="text-lg text-base-content/80" { (explanation) }
                div class="flex flex-wrap justify-center gap-3" {
                    @if let Some(next) = next {
                        a href=(next.href) class="btn btn-primary" { (next.label) }
                        a href="/" class="btn btn-ghost" { "Go to the home page" }
                    } @else {
                        a href="/" class="btn btn-primary" { "Go to the home page" }
                        a href="/series" class="btn btn-ghost" { "Find a jam" }
                    }
                }
            }
        },
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Theme;

    #[test]
    fn an_error_page_shows_status_heading_and_advice() {
        let html = error(
            &Page::new("Not found", "/nope", Theme::System),
            404,
            "We could not find that page",
            "Check the link.",
            None,
        )
        .into_string();
        assert!(html.contains("Error 404"));
        assert!(html.contains("We could not find that page"));
        assert!(html.contains("Check the link."));
        assert!(html.contains(r#"<a href="/" class="btn btn-primary">Go to the home page</a>"#));
        assert!(html.contains(r#"<a href="/series" class="btn btn-ghost">Find a jam</a>"#));
        assert!(html.contains(r#"<main id="main""#), "inside the layout");
    }

    #[test]
    fn an_error_page_offers_its_next_step_first() {
        let html = error(
            &Page::new("Link", "/auth/link/x", Theme::System),
            410,
            "This link cannot sign you in",
            "It expired.",
            Some(NextStep {
                href: "/login",
                label: "Get a new link",
            }),
        )
        .into_string();
        assert!(html.contains(r#"<a href="/login" class="btn btn-primary">Get a new link</a>"#));
        assert!(html.contains(r#"<a href="/" class="btn btn-ghost">Go to the home page</a>"#));
    }
}
