//! The layout every page renders inside: head with the hashed assets, a skip link, the banner
//! with navigation and the theme switch, the main landmark, and the footer. Mobile first.

use maud::{DOCTYPE, Markup, html};

use crate::{assets, icons};

/// The reader's colour scheme: following the system unless they chose one (cookie `jamie_theme`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Theme {
    #[default]
    System,
    Light,
    Dark,
}

impl Theme {
    pub const COOKIE: &'static str = "jamie_theme";
    pub const ALL: [Theme; 3] = [Theme::Light, Theme::Dark, Theme::System];

    pub fn parse(raw: &str) -> Option<Self> {
        match raw {
            "system" => Some(Self::System),
            "light" => Some(Self::Light),
            "dark" => Some(Self::Dark),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::System => "system",
            Self::Light => "light",
            Self::Dark => "dark",
        }
    }

    /// The `data-theme` attribute that forces a theme; none follows the system.
    fn data_theme(self) -> Option<&'static str> {
        match self {
            Self::System => None,
            Self::Light => Some("light"),
            Self::Dark => Some("dark"),
        }
    }

    fn label(self) -> &'static str {
        match self {
            Self::System => "Match system theme",
            Self::Light => "Light theme",
            Self::Dark => "Dark theme",
        }
    }

    fn icon(self) -> Markup {
        match self {
            Self::System => icons::computer_desktop("size-5"),
            Self::Light => icons::sun("size-5"),
            Self::Dark => icons::moon("size-5"),
        }
    }
}

/// The signed-in person, as the navigation shows them.
#[derive(Clone, Copy, Debug)]
pub struct Viewer<'a> {
    pub name: &'a str,
    pub superadmin: bool,
}

/// How a page previews when its link is shared (OpenGraph and Twitter card tags).
#[derive(Clone, Copy, Debug, Default)]
pub struct Social<'a> {
    pub title: &'a str,
    pub description: &'a str,
    /// The page's absolute URL.
    pub url: &'a str,
    /// The absolute URL of a large picture; without one the card is a plain summary.
    pub image: Option<&'a str>,
}

/// What the layout needs to know about the request it renders for.
#[derive(Clone, Debug)]
pub struct Page<'a> {
    /// The page's own title; the layout appends the product name.
    pub title: &'a str,
    /// One sentence for search results and link previews.
    pub description: &'a str,
    /// The request path, so the theme switch (without JavaScript) returns here.
    pub path: &'a str,
    pub theme: Theme,
    /// The CSRF token every form on the page posts back.
    pub csrf: &'a str,
    pub viewer: Option<Viewer<'a>>,
    /// Link preview tags for pages worth sharing; none on the rest.
    pub social: Option<Social<'a>>,
}

impl<'a> Page<'a> {
    pub fn new(title: &'a str, path: &'a str, theme: Theme) -> Self {
        Self {
            title,
            description: "Jamie runs registrations for recurring acroyoga jams: bases and flyers, capacity per role, fair waitlists and a private cancel link.",
            path,
            theme,
            csrf: "",
            viewer: None,
            social: None,
        }
    }

    pub fn csrf(mut self, token: &'a str) -> Self {
        self.csrf = token;
        self
    }

    pub fn viewer(mut self, viewer: Option<Viewer<'a>>) -> Self {
        self.viewer = viewer;
        self
    }

    pub fn description(mut self, description: &'a str) -> Self {
        self.description = description;
        self
    }

    /// Adds OpenGraph and Twitter card tags to the head.
    pub fn social(mut self, social: Social<'a>) -> Self {
        self.social = Some(social);
        self
    }
}

/// The full HTML document around `main`.
pub fn layout(page: &Page<'_>, main: Markup) -> Markup {
    html! {
        (DOCTYPE)
        html lang="en" data-theme=[page.theme.data_theme()] {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (page.title) " · Jamie" }
                meta name="description" content=(page.description);
                meta name="color-scheme" content="light dark";
                @if let Some(social) = &page.social { (social_tags(social)) }
                // htmx must not inject its own <style>: the CSP allows our stylesheet only.
                meta name="htmx-config" content=r#"{"includeIndicatorStyles":false}"#;
                link rel="icon" href="data:image/svg+xml,%3Csvg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 100 100'%3E%3Ctext y='.9em' font-size='90'%3E%F0%9F%A4%B8%3C/text%3E%3C/svg%3E";
                link rel="stylesheet" href=(assets::path("app.css"));
                script src=(assets::path("theme.js")) {}
                script src=(assets::path("htmx.min.js")) defer {}
                script src=(assets::path("jams.js")) defer {}
            }
            body class="min-h-screen flex flex-col bg-base-100 text-base-content print:bg-white print:text-black" {
                a href="#main" class="print:hidden sr-only focus:not-sr-only focus:absolute focus:top-2 focus:left-2 focus:z-50 btn btn-sm btn-primary" {
                    "Skip to content"
                }
                (banner(page))
                main id="main" tabindex="-1" class="flex-1 w-full max-w-5xl mx-auto px-4 py-6 sm:py-10" {
                    (main)
                }
                (footer())
            }
        }
    }
}

/// OpenGraph and Twitter card tags: a large card with a picture, a summary without.
fn social_tags(social: &Social<'_>) -> Markup {
    html! {
        meta property="og:type" content="website";
        meta property="og:site_name" content="Jamie";
        meta property="og:title" content=(social.title);
        meta property="og:description" content=(social.description);
        meta property="og:url" content=(social.url);
        @if let Some(image) = social.image {
            meta property="og:image" content=(image);
        }
        meta name="twitter:card" content=(if social.image.is_some() { "summary_large_image" } else { "summary" });
        meta name="twitter:title" content=(social.title);
        meta name="twitter:description" content=(social.description);
    }
}

fn banner(page: &Page<'_>) -> Markup {
    html! {
        header class="border-b border-base-300 bg-base-100 print:hidden" {
            nav class="navbar max-w-5xl mx-auto px-4 gap-2" aria-label="Main" {
                div class="flex-1" {
                    a href="/" class="text-xl font-bold tracking-tight link link-hover" {
                        "Jamie"
                    }
                }
                (theme_switch(page))
                @if let Some(viewer) = page.viewer {
                    @if viewer.superadmin {
                        a href="/admin" class="btn btn-ghost btn-sm" title="Admin" {
                            (icons::shield_check("size-4"))
                            span class="hidden sm:inline" { "Admin" }
                            span class="sm:hidden sr-only" { "Admin" }
                        }
                    }
                    a href="/my/registrations" class="btn btn-ghost btn-sm" title="My registrations" {
                        (icons::ticket("size-4"))
                        span class="hidden md:inline" { "My registrations" }
                        span class="md:hidden sr-only" { "My registrations" }
                    }
                    a href="/account" class="btn btn-ghost btn-sm max-w-40" title="Your account" {
                        (icons::cog_6_tooth("size-4"))
                        span class="hidden sm:inline truncate" { (viewer.name) }
                        span class="sm:hidden sr-only" { "Your account" }
                    }
                    form method="post" action="/logout" {
                        (csrf_field(page.csrf))
                        button type="submit" class="btn btn-ghost btn-sm" title="Log out" {
                            (icons::arrow_left_start_on_rectangle("size-4"))
                            span class="hidden sm:inline" { "Log out" }
                            span class="sm:hidden sr-only" { "Log out" }
                        }
                    }
                } @else {
                    a href="/login" class="btn btn-primary btn-sm" {
                        (icons::arrow_right_end_on_rectangle("size-4"))
                        "Log in"
                    }
                }
            }
        }
    }
}

/// Three buttons posting the choice; `theme.js` handles them without a round trip.
fn theme_switch(page: &Page<'_>) -> Markup {
    html! {
        form method="post" action="/preferences/theme" class="join" aria-label="Colour theme" {
            (csrf_field(page.csrf))
            input type="hidden" name="back" value=(page.path);
            @for theme in Theme::ALL {
                button type="submit" name="theme" value=(theme.as_str())
                    data-theme-choice=(theme.as_str())
                    aria-pressed=(if theme == page.theme { "true" } else { "false" })
                    title=(theme.label())
                    class="btn btn-ghost btn-sm btn-square join-item aria-pressed:bg-base-300" {
                    (theme.icon())
                    span class="sr-only" { (theme.label()) }
                }
            }
        }
    }
}

/// The hidden field that carries the CSRF token in every form.
pub fn csrf_field(token: &str) -> Markup {
    html! { input type="hidden" name="csrf" value=(token); }
}

fn footer() -> Markup {
    html! {
        footer class="border-t border-base-300 text-sm text-base-content/70 print:hidden" {
            div class="max-w-5xl mx-auto px-4 py-6 flex flex-col sm:flex-row gap-2 justify-between" {
                p { "Jamie — registrations for community acroyoga jams." }
                p { "Made for organizers who would rather be on the mat." }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn render(theme: Theme) -> String {
        layout(
            &Page::new("Home", "/somewhere", theme),
            html! { p { "body" } },
        )
        .into_string()
    }

    #[test]
    fn the_layout_has_landmarks_a_skip_link_and_hashed_assets() {
        let html = render(Theme::System);
        assert!(html.starts_with("<!DOCTYPE html>"));
        assert!(html.contains(r##"<a href="#main""##));
        assert!(html.contains(r#"<main id="main""#));
        assert!(html.contains("<header") && html.contains("<footer") && html.contains("<nav"));
        assert!(html.contains(&assets::path("app.css")));
        assert!(html.contains(&assets::path("htmx.min.js")));
        assert!(html.contains(&format!(
            r#"<script src="{}" defer>"#,
            assets::path("jams.js")
        )));
        assert!(html.contains("<title>Home · Jamie</title>"));
        assert!(html.contains(r#"name="viewport""#));
        assert!(html.contains(r#"name="back" value="/somewhere""#));
        assert!(
            !html.contains("data-theme=\""),
            "system theme sets no attribute"
        );
    }

    #[test]
    fn a_chosen_theme_is_rendered_and_pressed() {
        let html = render(Theme::Dark);
        assert!(html.contains(r#"<html lang="en" data-theme="dark">"#));
        assert!(html.contains(r#"data-theme-choice="dark" aria-pressed="true""#));
        assert!(html.contains(r#"data-theme-choice="light" aria-pressed="false""#));
    }

    #[test]
    fn user_text_is_escaped() {
        let html = layout(
            &Page::new("<script>alert(1)</script>", "/\"><x", Theme::Light),
            html! {},
        )
        .into_string();
        assert!(!html.contains("<script>alert(1)"));
        assert!(html.contains("&lt;script&gt;"));
        assert!(!html.contains("\"><x"));
    }

    #[test]
    fn icon_buttons_keep_a_name_on_small_screens() {
        let page = Page::new("Home", "/", Theme::System)
            .csrf("tok")
            .viewer(Some(Viewer {
                name: "Ana",
                superadmin: true,
            }));
        let html = layout(&page, html! {}).into_string();
        for (open, label) in [
            (
                r#"<button type="submit" class="btn btn-ghost btn-sm" title="Log out">"#,
                "Log out",
            ),
            (
                r#"<a href="/admin" class="btn btn-ghost btn-sm" title="Admin">"#,
                "Admin",
            ),
            (
                r#"<a href="/account" class="btn btn-ghost btn-sm max-w-40" title="Your account">"#,
                "Your account",
            ),
        ] {
            let rest = html
                .split(open)
                .nth(1)
                .unwrap_or_else(|| panic!("no {label}"));
            let end = if open.starts_with("<a") {
                "</a>"
            } else {
                "</button>"
            };
            let inside = &rest[..rest.find(end).unwrap()];
            assert!(
                inside.contains(&format!(
                    r#"<span class="sm:hidden sr-only">{label}</span>"#
                )),
                "{label}: no name below sm"
            );
        }
    }

    #[test]
    fn social_tags_are_only_on_pages_that_ask_for_them() {
        assert!(!render(Theme::System).contains("og:"));
        let social = Social {
            title: "Park <jam>",
            description: "Tue \"1\" Dec",
            url: "https://jamie.example/s/1",
            image: Some("https://cdn.example/p.webp"),
        };
        let page = Page::new("Jam", "/s/1", Theme::System).social(social);
        let html = layout(&page, html! {}).into_string();
        let head = &html[..html.find("</head>").unwrap()];
        for tag in [
            r#"<meta property="og:type" content="website">"#,
            r#"<meta property="og:title" content="Park &lt;jam&gt;">"#,
            r#"<meta property="og:description" content="Tue &quot;1&quot; Dec">"#,
            r#"<meta property="og:url" content="https://jamie.example/s/1">"#,
            r#"<meta property="og:image" content="https://cdn.example/p.webp">"#,
            r#"<meta name="twitter:card" content="summary_large_image">"#,
            r#"<meta name="twitter:title" content="Park &lt;jam&gt;">"#,
            r#"<meta name="twitter:description" content="Tue &quot;1&quot; Dec">"#,
        ] {
            assert!(head.contains(tag), "{tag} missing");
        }
        let page = Page::new("Jam", "/s/1", Theme::System).social(Social {
            image: None,
            ..social
        });
        let html = layout(&page, html! {}).into_string();
        assert!(!html.contains("og:image"));
        assert!(html.contains(r#"<meta name="twitter:card" content="summary">"#));
    }

    #[test]
    fn the_chrome_is_not_printed() {
        let html = render(Theme::System);
        assert!(
            html.contains(r#"<header class="border-b border-base-300 bg-base-100 print:hidden">"#)
        );
        assert!(html.contains(
            r#"<footer class="border-t border-base-300 text-sm text-base-content/70 print:hidden">"#
        ));
    }

    #[test]
    fn themes_parse_from_their_cookie_values() {
        for theme in Theme::ALL {
            assert_eq!(Theme::parse(theme.as_str()), Some(theme));
        }
        assert_eq!(Theme::parse("purple"), None);
    }
}
