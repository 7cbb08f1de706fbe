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

    fn short_label(self) -> &'static str {
        match self {
            Self::System => "System",
            Self::Light => "Light",
            Self::Dark => "Dark",
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

/// A script a page may load besides `theme.js`, which every page loads in its head (it applies
/// the saved theme before the first paint, and moves focus to the first invalid field).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Script {
    /// htmx, for `hx-` attributes (the series form's place suggestions).
    Htmx,
    /// `jams.js`: time-zone fill, copy buttons, place choice, print button, character counts
    /// (organizer pages).
    Organizer,
}

impl Script {
    const ALL: [Script; 2] = [Script::Htmx, Script::Organizer];

    fn file(self) -> &'static str {
        match self {
            Self::Htmx => "htmx.min.js",
            Self::Organizer => "jams.js",
        }
    }

    fn bit(self) -> u8 {
        match self {
            Self::Htmx => 1,
            Self::Organizer => 2,
        }
    }

    /// Markup that only works with this script (checked in debug builds).
    fn markers(self) -> &'static [&'static str] {
        match self {
            Self::Htmx => &[" hx-get=", " hx-post=", " hx-trigger="],
            Self::Organizer => &[
                " data-copy-target=",
                " data-browser-time-zone",
                " data-place-id=",
                " data-print",
                " data-count=",
            ],
        }
    }
}

/// The scripts a page declares it needs: none unless it asks.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Scripts(u8);

impl Scripts {
    pub fn with(self, script: Script) -> Self {
        Self(self.0 | script.bit())
    }

    pub fn contains(self, script: Script) -> bool {
        self.0 & script.bit() != 0
    }
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
    /// The scripts beyond `theme.js` this page uses.
    pub scripts: Scripts,
    /// Asks search engines not to index the page (an unlisted series' pages).
    pub noindex: bool,
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
            scripts: Scripts::default(),
            noindex: false,
        }
    }

    /// Loads `script` on this page (deferred).
    pub fn script(mut self, script: Script) -> Self {
        self.scripts = self.scripts.with(script);
        self
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

    /// Keeps the page out of search engines (`<meta name="robots" content="noindex">`).
    pub fn noindex(mut self) -> Self {
        self.noindex = true;
        self
    }

    /// Adds OpenGraph and Twitter card tags to the head.
    pub fn social(mut self, social: Social<'a>) -> Self {
        self.social = Some(social);
        self
    }
}

/// The browser chrome's colour (the page background) for the light and dark themes.
const THEME_COLOURS: [(&str, &str); 2] = [("light", "#ffffff"), ("dark", "#1d232a")];

/// The full HTML document around `main`.
pub fn layout(page: &Page<'_>, main: Markup) -> Markup {
    #[cfg(debug_assertions)]
    for script in Script::ALL {
        if let Some(marker) = script
            .markers()
            .iter()
            .find(|marker| main.0.contains(**marker))
        {
            assert!(
                page.scripts.contains(script),
                "page {:?} uses `{}` but does not declare Script::{script:?}: add `.script(Script::{script:?})` to its Page",
                page.title,
                marker.trim(),
            );
        }
    }
    html! {
        (DOCTYPE)
        html lang="en" data-theme=[page.theme.data_theme()] {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (page.title) " · Jamie" }
                meta name="description" content=(page.description);
                @if page.noindex { meta name="robots" content="noindex"; }
                meta name="color-scheme" content="light dark";
                @for (theme, colour) in THEME_COLOURS {
                    @match page.theme.data_theme() {
                        Some(chosen) => {
                            @if chosen == theme { meta name="theme-color" content=(colour); }
                        }
                        None => {
                            meta name="theme-color" content=(colour) media=(format!("(prefers-color-scheme: {theme})"));
                        }
                    }
                }
                @if let Some(social) = &page.social { (social_tags(social)) }
                link rel="icon" href=(assets::path("favicon.svg")) type="image/svg+xml";
                link rel="manifest" href=(assets::path("manifest.webmanifest"));
                link rel="stylesheet" href=(assets::path("app.css"));
                script src=(assets::path("theme.js")) {}
                @if page.scripts.contains(Script::Htmx) {
                    // htmx must not inject its own <style>: the CSP allows our stylesheet only.
                    meta name="htmx-config" content=r#"{"includeIndicatorStyles":false}"#;
                }
                @for script in Script::ALL {
                    @if page.scripts.contains(script) {
                        script src=(assets::path(script.file())) defer {}
                    }
                }
            }
            body class="min-h-screen flex flex-col bg-base-100 text-base-content print:bg-white print:text-black" {
                a href="#main" class="print:hidden sr-only focus:not-sr-only focus:absolute focus:top-2 focus:left-2 focus:z-50 focus:px-4 focus:py-3 focus:bg-primary focus:text-primary-content focus:rounded-box focus:shadow-lg" {
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

/// Classes of a menu entry: a full-width row at least 44 px tall.
const MENU_ITEM: &str =
    "flex items-center gap-2 min-h-11 px-3 rounded-field hover:bg-base-200 w-full text-left";

/// The brand, what a reader needs at hand, and the rest in a menu that works without
/// JavaScript (`<details>`), with text labels. Signed out, "Log in" is a quiet link so it never
/// competes with a page's own main action.
fn banner(page: &Page<'_>) -> Markup {
    html! {
        header class="border-b border-base-300 bg-base-100 print:hidden" {
            nav class="max-w-5xl mx-auto px-4 min-h-16 flex items-center gap-1 sm:gap-3" aria-label="Main" {
                div class="flex-1" {
                    a href="/" class="inline-flex items-center min-h-11 text-xl font-bold tracking-tight link link-hover" {
                        "Jamie"
                    }
                }
                @if let Some(viewer) = page.viewer {
                    a href="/my/registrations" class="hidden sm:inline-flex items-center min-h-11 px-2 link link-hover" {
                        "My registrations"
                    }
                    @if viewer.superadmin {
                        a href="/admin" class="hidden sm:inline-flex items-center min-h-11 px-2 link link-hover" { "Admin" }
                    }
                } @else {
                    a href="/login" class="inline-flex items-center min-h-11 px-2 link link-hover" { "Log in" }
                }
                (menu(page))
            }
        }
    }
}

fn menu(page: &Page<'_>) -> Markup {
    let label = match page.viewer {
        Some(viewer) => viewer.name,
        None => "Theme",
    };
    html! {
        details class="relative" data-menu {
            summary class="btn btn-ghost min-h-11 h-11 px-3 gap-2 font-normal max-w-48 sm:max-w-56 list-none" {
                @if page.viewer.is_some() {
                    (icons::bars_3("size-5"))
                    span class="sm:hidden" { "Menu" }
                    span class="hidden sm:inline truncate" { (label) }
                } @else {
                    (page.theme.icon())
                    span class="sr-only sm:not-sr-only" { (label) }
                }
            }
            div class="absolute right-0 top-full mt-2 z-30 w-64 max-w-[calc(100vw-2rem)] rounded-box border border-base-300 bg-base-100 shadow-lg p-2 flex flex-col gap-1" {
                @if let Some(viewer) = page.viewer {
                    a href="/my/registrations" class=(MENU_ITEM) {
                        (icons::ticket("size-5")) "My registrations"
                    }
                    a href="/account" class=(MENU_ITEM) {
                        (icons::cog_6_tooth("size-5"))
                        span class="min-w-0" { "Your account" span class="block text-sm text-base-content/70 truncate" { (viewer.name) } }
                    }
                    @if viewer.superadmin {
                        a href="/admin" class=(MENU_ITEM) { (icons::shield_check("size-5")) "Admin" }
                    }
                }
                (theme_switch(page))
                @if page.viewer.is_some() {
                    form method="post" action="/logout" class="border-t border-base-300 pt-1" {
                        (csrf_field(page.csrf))
                        button type="submit" class=(MENU_ITEM) {
                            (icons::arrow_left_start_on_rectangle("size-5")) "Log out"
                        }
                    }
                }
            }
        }
    }
}

/// Three labelled buttons posting the choice; `theme.js` handles them without a round trip.
fn theme_switch(page: &Page<'_>) -> Markup {
    html! {
        form method="post" action="/preferences/theme" class="flex flex-col gap-1" aria-label="Colour theme" {
            (csrf_field(page.csrf))
            input type="hidden" name="back" value=(page.path);
            p class="px-3 pt-1 text-sm text-base-content/70" aria-hidden="true" { "Theme" }
            div class="grid grid-cols-3 gap-1" {
                @for theme in Theme::ALL {
                    button type="submit" name="theme" value=(theme.as_str())
                        data-theme-choice=(theme.as_str())
                        aria-pressed=(if theme == page.theme { "true" } else { "false" })
                        title=(theme.label())
                        class="flex flex-col items-center justify-center gap-1 min-h-11 py-1 rounded-field text-sm hover:bg-base-200 aria-pressed:bg-base-300 aria-pressed:font-semibold" {
                        (theme.icon())
                        span aria-hidden="true" { (theme.short_label()) }
                        span class="sr-only" { (theme.label()) }
                    }
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
        assert!(html.contains(&format!(
            r#"<script src="{}"></script>"#,
            assets::path("theme.js")
        )));
        assert!(html.contains(&format!(
            r#"<link rel="icon" href="{}" type="image/svg+xml">"#,
            assets::path("favicon.svg")
        )));
        assert!(html.contains(&format!(
            r#"<link rel="manifest" href="{}">"#,
            assets::path("manifest.webmanifest")
        )));
        assert!(html.contains(
            r##"<meta name="theme-color" content="#ffffff" media="(prefers-color-scheme: light)">"##
        ));
        assert!(html.contains(
            r##"<meta name="theme-color" content="#1d232a" media="(prefers-color-scheme: dark)">"##
        ));
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
    fn a_page_loads_only_the_scripts_it_declares() {
        let plain = render(Theme::System);
        assert!(!plain.contains(&assets::path("htmx.min.js")));
        assert!(!plain.contains(&assets::path("jams.js")));
        assert!(!plain.contains("htmx-config"));

        let page = Page::new("Form", "/jams/new", Theme::System)
            .script(Script::Htmx)
            .script(Script::Organizer);
        let html = layout(
            &page,
            html! { input hx-get="/jams/places" data-browser-time-zone; },
        )
        .into_string();
        for file in ["htmx.min.js", "jams.js"] {
            assert!(html.contains(&format!(
                r#"<script src="{}" defer></script>"#,
                assets::path(file)
            )));
        }
        assert!(html.contains(r#"<meta name="htmx-config""#));

        let only = Page::new("Check-in", "/c", Theme::System).script(Script::Organizer);
        let html = layout(&only, html! { button data-print {} }).into_string();
        assert!(html.contains(&assets::path("jams.js")));
        assert!(!html.contains(&assets::path("htmx.min.js")));
    }

    #[test]
    #[should_panic(expected = "does not declare Script::Htmx")]
    fn markup_that_needs_a_script_must_declare_it() {
        layout(
            &Page::new("Form", "/", Theme::System),
            html! { input hx-get="/x"; },
        );
    }

    #[test]
    fn a_forced_theme_has_one_theme_colour() {
        let html = render(Theme::Dark);
        assert!(html.contains(r##"<meta name="theme-color" content="#1d232a">"##));
        assert!(!html.contains("#ffffff"));
    }

    #[test]
    fn signed_out_the_header_has_a_quiet_log_in_link_and_the_theme_menu() {
        let html = render(Theme::System);
        let header = &html[html.find("<header").unwrap()..html.find("</header>").unwrap()];
        assert!(header.contains(r#"<a href="/login" class="inline-flex items-center min-h-11 px-2 link link-hover">Log in</a>"#));
        assert!(
            !header.contains("btn-primary"),
            "nothing loud in the header"
        );
        assert!(header.contains("<details"));
        assert!(header.contains(r#"aria-label="Colour theme""#));
        assert!(!header.contains("/logout"));
    }

    #[test]
    fn signed_in_the_menu_names_every_entry_in_text() {
        let page = Page::new("Home", "/", Theme::System)
            .csrf("tok")
            .viewer(Some(Viewer {
                name: "Ana",
                superadmin: true,
            }));
        let html = layout(&page, html! {}).into_string();
        let header = &html[html.find("<header").unwrap()..html.find("</header>").unwrap()];
        let menu = &header[header.find("<details").unwrap()..];
        assert!(menu.contains(r#"<span class="sm:hidden">Menu</span>"#));
        for (href, label) in [
            ("/my/registrations", "My registrations"),
            ("/account", "Your account"),
            ("/admin", "Admin"),
        ] {
            let rest = &menu[menu
                .find(&format!(r#"<a href="{href}""#))
                .unwrap_or_else(|| panic!("{label}"))..];
            assert!(
                rest[..rest.find("</a>").unwrap()].contains(label),
                "{label}"
            );
        }
        let logout = &menu[menu.find(r#"action="/logout""#).unwrap()..];
        assert!(logout.contains(r#"name="csrf" value="tok""#));
        assert!(logout[..logout.find("</button>").unwrap()].contains("Log out"));
        assert!(!header.contains(r#"href="/login""#));
        // Every entry is at least 44 px tall.
        assert_eq!(menu.matches(MENU_ITEM).count(), 4);
        assert!(MENU_ITEM.contains("min-h-11"));
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
