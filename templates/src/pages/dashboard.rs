//! The organizer's dashboard: every series they own or co-organize, each with its next session.

use jamie::jams::sessions::SessionStatus;
use maud::{Markup, html};

use crate::{
    Page,
    components::{Tone, alert},
    icons,
    layout::layout,
    pages::jams::{
        RoleCount, SessionLinks, counts_line, role_tag, session_actions, status_badge, tag,
    },
};

/// A series' next session, as its card shows it.
#[derive(Clone, Debug)]
pub struct NextSession {
    pub href: String,
    /// e.g. "Tomorrow, 19:00–21:00".
    pub when: String,
    pub links: SessionLinks,
    pub date: String,
    pub time: String,
    pub status: SessionStatus,
    pub base: RoleCount,
    pub flyer: RoleCount,
    pub waitlist: u32,
}

/// One series on the dashboard.
#[derive(Clone, Debug, Default)]
pub struct DashboardCard {
    pub href: String,
    pub name: String,
    /// "Owner" or "Co-organizer".
    pub role: &'static str,
    pub archived: bool,
    pub next: Option<NextSession>,
    pub schedule_href: String,
}

#[derive(Clone, Debug, Default)]
pub struct DashboardView<'a> {
    pub name: &'a str,
    pub cards: Vec<DashboardCard>,
    pub notice: Option<&'a str>,
}

pub fn dashboard(page: &Page<'_>, view: &DashboardView<'_>) -> Markup {
    layout(
        page,
        html! {
            section class="flex flex-col gap-6" aria-labelledby="dashboard-title" {
                div class="flex flex-col sm:flex-row gap-4 sm:items-center sm:justify-between" {
                    div {
                        h1 id="dashboard-title" class="text-3xl font-bold break-words" { "Hi, " (view.name) }
                        p class="text-base-content/80" { "Your jams and what comes next." }
                    }
                    div class="flex flex-wrap gap-2" {
                        a href="/jams/new" class="btn btn-primary" { (icons::plus("size-5")) "New series" }
                        a href="/calendar" class="btn" { (icons::calendar_days("size-5")) "Calendar" }
                    }
                }
                @if let Some(notice) = view.notice { (alert(Tone::Success, notice)) }
                @if view.cards.is_empty() {
                    div class="card bg-base-200" {
                        div class="card-body items-center text-center gap-3 py-10" {
                            div class="text-primary" { (icons::sparkles("size-12")) }
                            h2 class="card-title text-2xl" { "Start your first jam" }
                            p class="max-w-md text-base-content/80" {
                                "A series is your recurring jam: its place, price and how many bases and flyers fit. "
                                "Then schedule its sessions and share the link."
                            }
                            a href="/jams/new" class="btn btn-primary" { (icons::plus("size-5")) "Create your first series" }
                        }
                    }
                } @else {
                    ul class="grid gap-4 sm:grid-cols-2 lg:grid-cols-3" {
                        @for card in &view.cards { li class="flex" { (series_card(card)) } }
                    }
                }
            }
        },
    )
}

fn series_card(card: &DashboardCard) -> Markup {
    html! {
        article class="card bg-base-200 w-full" {
            div class="card-body gap-3" {
                div class="flex flex-col gap-2" {
                    h2 class="card-title break-words" {
                        a href=(card.href) class="link link-hover" { (card.name) }
                    }
                    div class="flex flex-wrap gap-2" {
                        (role_tag(card.role == "Owner"))
                        @if card.archived { (tag("bg-base-content/50", "Archived")) }
                    }
                }
                @if let Some(next) = &card.next {
                    div class="rounded-box bg-base-100 p-3 flex flex-col gap-2" {
                        span class="text-xs uppercase tracking-wide text-base-content/70" { "Next session" }
                        span class="flex flex-wrap items-center gap-2" {
                            a href=(next.href) class={ "font-semibold link link-hover" @if next.status == SessionStatus::Cancelled { " line-through" } } {
                                (next.when)
                            }
                            @if next.status != SessionStatus::Scheduled { (status_badge(next.status)) }
                        }
                        span class="text-sm" { (counts_line(next.base, next.flyer, next.waitlist)) }
                        (session_actions(&next.links, &format!(" for {}", card.name),
                            next.base.confirmed + next.flyer.confirmed, next.waitlist,
                            next.status == SessionStatus::Scheduled))
                    }
                } @else {
                    div class="rounded-box bg-base-100 p-3 flex flex-col gap-2 items-start" {
                        p class="text-base-content/70" { "No upcoming session" }
                        a href=(card.schedule_href) class="btn btn-sm btn-primary" {
                            (icons::calendar_days("size-4")) "Schedule sessions"
                        }
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Theme;

    fn page() -> Page<'static> {
        Page::new("Your jams", "/jams", Theme::System).csrf("tok")
    }

    #[test]
    fn cards_show_the_next_session_or_a_way_to_schedule() {
        let view = DashboardView {
            name: "Ana <3",
            notice: Some("Series created."),
            cards: vec![
                DashboardCard {
                    href: "/jams/s1".into(),
                    name: "Park <jam>".into(),
                    role: "Owner",
                    archived: false,
                    next: Some(NextSession {
                        href: "/jams/s1/sessions/d1".into(),
                        when: "Tomorrow, 19:00–21:00".into(),
                        links: SessionLinks {
                            manage: "/jams/s1/sessions/d1".into(),
                            public: "/s/d1".into(),
                            share_url: "https://jamie.example/s/d1".into(),
                            registrations: "/jams/s1/sessions/d1/registrations".into(),
                            checkin: "/jams/s1/sessions/d1/checkin".into(),
                            csv: "/jams/s1/sessions/d1/registrations.csv".into(),
                            add: "/jams/s1/sessions/d1/registrations#add-someone".into(),
                        },
                        date: "Tue 1 Dec 2026".into(),
                        time: "19:00–21:00".into(),
                        status: SessionStatus::Scheduled,
                        base: RoleCount {
                            confirmed: 12,
                            capacity: 10,
                        },
                        flyer: RoleCount {
                            confirmed: 4,
                            capacity: 10,
                        },
                        waitlist: 3,
                    }),
                    schedule_href: "/jams/s1/sessions/new".into(),
                },
                DashboardCard {
                    href: "/jams/s2".into(),
                    name: "Old jam".into(),
                    role: "Co-organizer",
                    archived: true,
                    next: None,
                    schedule_href: "/jams/s2/sessions/new".into(),
                },
            ],
        };
        let html = dashboard(&page(), &view).into_string();
        assert!(html.contains("Hi, Ana &lt;3"));
        assert!(html.contains("Park &lt;jam&gt;") && !html.contains("<jam>"));
        assert!(html.contains(r#"href="/jams/new""#) && html.contains(r#"href="/calendar""#));
        assert!(html.contains(r#"href="/jams/s1/sessions/d1""#));
        assert!(html.contains(r#"<a href="/jams/s1/sessions/d1" class="font-semibold link link-hover">Tomorrow, 19:00–21:00</a>"#));
        assert!(html.contains("Bases 12/10 · 2 over"));
        // One click to the registrations (with counts), the public page and the link to share.
        assert!(html.contains(
            r#"<a href="/jams/s1/sessions/d1/registrations" class="btn btn-sm btn-primary">"#
        ));
        assert!(html.contains(r#"Registrations<span class="sr-only"> for Park &lt;jam&gt;</span><span class="font-normal"> · 16 confirmed, 3 waiting</span>"#));
        assert!(html.contains(r#"<a href="/s/d1" class="btn btn-sm">Public page<span class="sr-only"> for Park &lt;jam&gt;</span></a>"#));
        assert!(html.contains(r#"data-copy-text="https://jamie.example/s/d1""#));
        assert!(html.contains(r#"href="/jams/s1/sessions/d1/checkin""#));
        assert!(html.contains(r#"href="/jams/s1/sessions/d1/registrations.csv""#));
        assert!(html.contains("Flyers 4/10"));
        assert!(html.contains("3 waitlisted"));
        assert!(html.contains("Co-organizer") && html.contains("Archived"));
        assert!(html.contains("No upcoming session"));
        assert!(html.contains(r#"href="/jams/s2/sessions/new""#));
        assert!(html.contains("Series created."));
        assert!(!html.contains("Create your first series"));
    }

    #[test]
    fn no_series_leads_to_creating_one() {
        let html = dashboard(
            &page(),
            &DashboardView {
                name: "Ana",
                ..DashboardView::default()
            },
        )
        .into_string();
        assert!(html.contains("Create your first series"));
        assert!(html.contains(r#"href="/jams/new""#));
    }
}
