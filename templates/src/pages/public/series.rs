//! A series as participants see it (its upcoming sessions) and "Find a jam", every public
//! series with a session ahead.

use maud::{Markup, html};

use super::{PublicState, organized_by, photo, state_badge};
use crate::{
    Page,
    components::rich_text,
    icons,
    layout::layout,
    pages::jams::{detail, place},
};

/// One upcoming session on the public series page.
#[derive(Clone, Debug, Default)]
pub struct SeriesSessionLink {
    /// `/s/{id}`.
    pub href: String,
    pub date: String,
    pub time: String,
    /// e.g. from [`counts_text`].
    pub counts: String,
    pub state: PublicState,
}

/// A series as participants see it.
#[derive(Clone, Debug, Default)]
pub struct PublicSeriesView<'a> {
    pub name: &'a str,
    pub description: &'a str,
    pub photo: Option<String>,
    pub venue: &'a str,
    pub address: &'a str,
    pub maps_url: &'a str,
    pub cost: &'a str,
    pub schedule: &'a str,
    pub organizers: &'a [String],
    pub sessions: Vec<SeriesSessionLink>,
    /// The calendar feed to subscribe to, `webcal://…/series/{id}.ics`.
    pub webcal_url: &'a str,
    /// The same feed over https, for calendars that take a pasted address.
    pub feed_url: &'a str,
}

/// The public series page. It sets no link preview tags itself (the view has no URL): add
/// them with [`Page::social`].
pub fn public_series(page: &Page<'_>, view: &PublicSeriesView<'_>) -> Markup {
    layout(
        page,
        html! {
            article class="max-w-2xl mx-auto flex flex-col gap-6" aria-labelledby="series-title" {
                (photo(view.photo.as_deref()))
                h1 id="series-title" class="text-3xl font-bold break-words" { (view.name) }
                dl class="card bg-base-200 card-body gap-3" {
                    @if !(view.venue.is_empty() && view.address.is_empty() && view.maps_url.is_empty()) {
                        (detail(icons::map_pin("size-5"), "Place", place(view.venue, view.address, view.maps_url)))
                    }
                    @if !view.cost.is_empty() {
                        (detail(icons::banknotes("size-5"), "Price", html! { (view.cost) }))
                    }
                    @if !view.schedule.is_empty() {
                        (detail(icons::clock("size-5"), "Usual time", html! { (view.schedule) }))
                    }
                }
                section class="flex flex-col gap-3" aria-labelledby="dates-title" {
                    h2 id="dates-title" class="text-2xl font-bold" { "Upcoming sessions" }
                    @if view.sessions.is_empty() {
                        p class="card bg-base-200 card-body" { "No upcoming sessions." }
                    } @else {
                        ul class="flex flex-col gap-2" {
                            @for session in &view.sessions {
                                li {
                                    a href=(session.href) class="card card-sm bg-base-200 hover:bg-base-300 transition-colors" {
                                        div class="card-body gap-1" {
                                            div class="flex flex-wrap items-center gap-x-3 gap-y-1" {
                                                span class={ "font-semibold" @if session.state == PublicState::Cancelled { " line-through" } } {
                                                    (session.date)
                                                }
                                                span class="tabular-nums whitespace-nowrap" { (session.time) }
                                                (state_badge(session.state))
                                            }
                                            @if !session.counts.is_empty() {
                                                span class="text-sm" { (session.counts) }
                                            }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
                @if !view.webcal_url.is_empty() {
                    div class="flex flex-col gap-1" {
                        a href=(view.webcal_url) class="link link-primary self-start inline-flex items-center gap-1" {
                            (icons::calendar_days("size-4 shrink-0")) "Subscribe in your calendar"
                        }
                        p class="text-sm break-all" {
                            "Or add this address to your calendar: "
                            code { (view.feed_url) }
                        }
                    }
                }
                @if !view.description.trim().is_empty() {
                    section class="flex flex-col gap-3" aria-labelledby="about-title" {
                        h2 id="about-title" class="text-2xl font-bold" { "About this jam" }
                        div class="flex flex-col gap-3 break-words" { (rich_text(view.description)) }
                    }
                }
                (organized_by(view.organizers))
            }
        },
    )
}

/// One series on the "Find a jam" page, with its next session.
#[derive(Clone, Debug, Default)]
pub struct ListedSeries {
    /// `/series/{id}`.
    pub href: String,
    pub name: String,
    pub venue: String,
    pub address: String,
    /// e.g. "Tuesdays at 19:00 for 2 h".
    pub schedule: String,
    /// The next session's page, `/s/{id}`.
    pub next_href: String,
    pub next_date: String,
    pub next_time: String,
    /// The next session's room, e.g. from [`counts_text`].
    pub next_counts: String,
}

/// "Find a jam": every public series with a session ahead, soonest first.
pub fn find_jams(page: &Page<'_>, series: &[ListedSeries]) -> Markup {
    layout(
        page,
        html! {
            section class="max-w-2xl mx-auto flex flex-col gap-6" aria-labelledby="find-title" {
                header class="flex flex-col gap-2" {
                    h1 id="find-title" class="text-3xl font-bold" { "Find a jam" }
                    p class="text-base-content/80" {
                        "Public acroyoga jams with sessions coming up. Open one to see its dates and register: no account needed."
                    }
                }
                @if series.is_empty() {
                    div class="card bg-base-200" {
                        div class="card-body gap-2" {
                            h2 class="card-title" { "No public jam has a session coming up" }
                            p {
                                "Got a link from an organizer? Open it: some jams are shared only by their link and are not listed here."
                            }
                            p {
                                "Running a jam? "
                                a href="/login" class="link link-primary" { "Sign in and publish it" }
                                ", and it appears here once it has a session."
                            }
                        }
                    }
                } @else {
                    ul class="flex flex-col gap-3" {
                        @for listed in series {
                            li class="card bg-base-200" {
                                div class="card-body gap-2" {
                                    h2 class="card-title break-words" {
                                        a href=(listed.href) class="link link-hover" { (listed.name) }
                                    }
                                    @if !(listed.venue.is_empty() && listed.address.is_empty()) {
                                        p class="flex items-start gap-2" {
                                            (icons::map_pin("size-5 shrink-0 text-primary"))
                                            span class="min-w-0 break-words" {
                                                (listed.venue)
                                                @if !listed.venue.is_empty() && !listed.address.is_empty() { ", " }
                                                (listed.address)
                                            }
                                        }
                                    }
                                    @if !listed.schedule.is_empty() {
                                        p class="flex items-start gap-2" {
                                            (icons::clock("size-5 shrink-0 text-primary"))
                                            span { (listed.schedule) }
                                        }
                                    }
                                    a href=(listed.next_href) class="flex flex-col gap-1 rounded-box bg-base-100 p-3 hover:bg-base-300 transition-colors" {
                                        span class="flex flex-wrap items-center gap-x-2 gap-y-1" {
                                            span class="text-sm text-base-content/70" { "Next:" }
                                            span class="font-semibold" { (listed.next_date) }
                                            span class="tabular-nums whitespace-nowrap" { (listed.next_time) }
                                        }
                                        span class="text-sm" { (listed.next_counts) }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        },
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::test_support::page;

    #[test]
    fn the_public_series_lists_upcoming_sessions() {
        let organizers = ["Ana".to_owned()];
        let view = PublicSeriesView {
            name: "Park <jam>",
            description: "Every <week>",
            photo: Some("https://cdn.example/p.webp".into()),
            venue: "Volkspark",
            address: "Main St 1",
            maps_url: "https://maps.google.com/?q=Main",
            cost: "Free",
            schedule: "Tuesdays 19:00–21:00",
            organizers: &organizers,
            sessions: vec![
                SeriesSessionLink {
                    href: "/s/d1".into(),
                    date: "Tue 1 Dec 2026".into(),
                    time: "19:00–21:00".into(),
                    counts: "Bases 1/10 · Flyers <2>/10".into(),
                    state: PublicState::Open,
                },
                SeriesSessionLink {
                    href: "/s/d2".into(),
                    date: "Tue 8 Dec 2026".into(),
                    state: PublicState::Cancelled,
                    ..SeriesSessionLink::default()
                },
            ],
            webcal_url: "webcal://jamie.example/series/s1.ics",
            feed_url: "https://jamie.example/series/s1.ics",
        };
        let html = public_series(&page(), &view).into_string();
        assert!(html.contains("Park &lt;jam&gt;") && html.contains("Every &lt;week&gt;"));
        assert!(html.contains(r#"href="/s/d1""#) && html.contains(r#"href="/s/d2""#));
        assert!(html.contains("Bases 1/10 · Flyers &lt;2&gt;/10"));
        assert!(html.contains(r#"<span class="badge badge-success">Open</span>"#));
        assert!(html.contains(r#"<span class="badge badge-error">Cancelled</span>"#));
        assert!(html.contains(r#"<span class="font-semibold line-through">Tue 8 Dec 2026</span>"#));
        assert!(html.contains("Tuesdays 19:00–21:00") && html.contains("Open in Google Maps"));
        assert!(html.contains("Organized by Ana"));
        assert!(!html.contains("No upcoming sessions."));
        assert!(html.contains(r#"href="webcal://jamie.example/series/s1.ics"#));
        assert!(html.contains("Subscribe in your calendar"));
        assert!(html.contains("<code>https://jamie.example/series/s1.ics</code>"));

        let html = public_series(
            &page(),
            &PublicSeriesView {
                sessions: vec![],
                ..view
            },
        )
        .into_string();
        assert!(html.contains("No upcoming sessions."));
    }
}
