//! The `web-dashboard` function: `/` — the landing page for visitors, and for a signed-in
//! organizer their series with the next session of each — and `/calendar`, the month of every
//! session they organize.

use axum::{
    Router,
    extract::{Query, State},
    response::{IntoResponse, Response},
    routing::get,
};
use jamie::{
    Context,
    authorization::{Actor, Denied, OrganizerRole},
    jams::{dashboard, series::Series, sessions::Session},
};
use jamie_templates::pages::{
    self,
    calendar::{CalendarDay, CalendarEntry, CalendarView},
    dashboard::{DashboardCard, DashboardView, NextSession},
};
use jiff::{
    SignedDuration, ToSpan,
    civil::{Date, Weekday},
};
use serde::Deserialize;
use web_common::{
    AppError, PageContext, Routes, relative_when, session_counts, session_links, session_when,
};

pub fn routes() -> Routes {
    Routes::new()
        .page("/", get(home))
        .page("/calendar", get(calendar))
}

pub fn app(ctx: Context) -> Router {
    web_common::finish(routes().into_router(ctx))
}

fn signed_in(page: &PageContext) -> Result<&Actor, Denied> {
    jamie::authorization::authorize(
        &page.principal,
        jamie::authorization::Operation::ManageOwnAccount,
    )
}

#[derive(Debug, Default, Deserialize)]
struct Done {
    #[serde(default)]
    done: String,
}

fn card(
    ctx: &Context,
    series: &Series,
    role: OrganizerRole,
    next: Option<&Session>,
) -> DashboardCard {
    let zone = series.zone();
    DashboardCard {
        href: format!("/jams/{}", series.id),
        name: series.name.clone(),
        role: match role {
            OrganizerRole::Owner => "Owner",
            OrganizerRole::CoOrganizer => "Co-organizer",
        },
        archived: series.archived,
        next: next.map(|session| {
            let (date, time) = session_when(session, &zone);
            let (base, flyer) = session_counts(session);
            let links = session_links(&ctx.config.base_url, &series.id, &session.id);
            NextSession {
                href: links.manage.clone(),
                when: relative_when(session.starts_at, session.ends_at, &zone, ctx.clock.now()),
                links,
                date,
                time,
                status: session.status,
                base,
                flyer,
                waitlist: session.waitlisted,
            }
        }),
        schedule_href: format!("/jams/{}/sessions/new", series.id),
    }
}

async fn home(
    State(ctx): State<Context>,
    page: PageContext,
    Query(done): Query<Done>,
) -> Result<Response, AppError> {
    if page.principal.actor().is_none() {
        return Ok(pages::home::home(&page.page("Acroyoga jams, organized")).into_response());
    }
    let actor = signed_in(&page)?;
    let mut cards: Vec<DashboardCard> = dashboard::overview(&ctx, &page.principal)
        .await?
        .iter()
        .map(|found| card(&ctx, &found.series, found.role, found.next.as_ref()))
        .collect();
    // Active series first, each group newest first (the order `of_user` gives).
    cards.sort_by_key(|card| card.archived);
    let notice = dashboard_notice(&done.done);
    let view = DashboardView {
        name: actor.user.display_name.as_str(),
        cards,
        notice: notice.as_deref(),
    };
    Ok(pages::dashboard::dashboard(&page.page("Your jams"), &view).into_response())
}

/// What the action that led back here did: "deleted-3" (a series with 3 sessions), "left".
fn dashboard_notice(done: &str) -> Option<String> {
    if let Some(count) = done.strip_prefix("deleted-") {
        let count: usize = count.parse().ok()?;
        return Some(match count {
            0 => "Deleted the series. It had no sessions.".to_owned(),
            1 => "Deleted the series and its one session.".to_owned(),
            count => format!("Deleted the series and its {count} sessions."),
        });
    }
    match done {
        "deleted" => Some("Deleted the series and its sessions.".to_owned()),
        "left" => Some(
            "You left the series: it is no longer on your dashboard, and its owner can invite you again."
                .to_owned(),
        ),
        _ => None,
    }
}

#[derive(Debug, Default, Deserialize)]
struct MonthQuery {
    #[serde(default)]
    month: String,
}

/// The first day of the month `yyyy-mm`, or of the current month when absent or malformed.
fn month_start(raw: &str, today: Date) -> Date {
    raw.split_once('-')
        .and_then(|(year, month)| Date::new(year.parse().ok()?, month.parse().ok()?, 1).ok())
        .unwrap_or_else(|| today.first_of_month())
}

fn month_param(date: Date) -> String {
    jamie_templates::when::iso_month(date)
}

async fn calendar(
    State(ctx): State<Context>,
    page: PageContext,
    Query(query): Query<MonthQuery>,
) -> Result<Response, AppError> {
    let organized = dashboard::organized(&ctx, &page.principal).await?;
    let now = ctx.clock.now();
    // "Today" where the organizer's jams happen (their newest series' zone).
    let zone = organized
        .series()
        .first()
        .map_or(jiff::tz::TimeZone::UTC, |(series, _)| series.zone());
    let today = now.to_zoned_datetime(zone).date();
    let first = month_start(&query.month, today);
    let grid_start = first
        .checked_sub(i64::from(first.weekday().to_monday_zero_offset()).days())
        .unwrap_or(first);
    let last = first.last_of_month();
    let grid_end = last
        .checked_add(i64::from(Weekday::Sunday.since(last.weekday())).days())
        .unwrap_or(last);
    // Local dates differ from UTC ones by under a day either way.
    let margin = SignedDuration::from_hours(26);
    let window = |date: Date| {
        date.to_zoned_datetime(jiff::tz::TimeZone::UTC)
            .map(|zoned| zoned.timestamp())
            .unwrap_or(now)
    };
    let (from, to) = (
        window(grid_start).saturating_sub(margin).unwrap_or(now),
        window(grid_end).saturating_add(margin).unwrap_or(now),
    );
    let mut entries: Vec<(Date, String, CalendarEntry)> = Vec::new();
    let found = organized.sessions_between(&ctx, from, to).await?;
    for ((series, _), found) in organized.series().iter().zip(found) {
        let zone = series.zone();
        for session in found {
            let start = session.starts_at.to_zoned_datetime(zone.clone());
            let time = jamie_templates::when::time(start.time());
            let links = session_links(&ctx.config.base_url, &series.id, &session.id);
            let (base, flyer) = session_counts(&session);
            entries.push((
                start.date(),
                time.clone(),
                CalendarEntry {
                    href: links.manage,
                    registrations_href: links.registrations,
                    public_href: links.public,
                    base,
                    flyer,
                    waitlist: session.waitlisted,
                    time,
                    series: series.name.clone(),
                    status: session.status,
                    overridden: session.is_overridden(series),
                    archived: series.archived,
                },
            ));
        }
    }
    entries.sort_by(|a, b| (a.0, &a.1).cmp(&(b.0, &b.1)));
    let mut weeks = Vec::new();
    let mut day = grid_start;
    while day <= grid_end {
        let mut week = Vec::with_capacity(7);
        for _ in 0..7 {
            week.push(CalendarDay {
                date: jamie_templates::when::iso_date(day),
                day: u8::try_from(day.day()).unwrap_or(1),
                in_month: day.month() == first.month(),
                today: day == today,
                entries: entries
                    .iter()
                    .filter(|(date, _, _)| *date == day)
                    .map(|(_, _, entry)| entry.clone())
                    .collect(),
            });
            day = day.tomorrow().unwrap_or(day);
        }
        weeks.push(week);
    }
    let prev = first
        .checked_sub(1.month())
        .map(month_param)
        .unwrap_or_default();
    let next = first
        .checked_add(1.month())
        .map(month_param)
        .unwrap_or_default();
    let month_label = jamie_templates::when::month(first);
    let (prev_href, next_href) = (
        format!("/calendar?month={prev}"),
        format!("/calendar?month={next}"),
    );
    let view = CalendarView {
        month_label: &month_label,
        has_series: !organized.series().is_empty(),
        prev_href: &prev_href,
        next_href: &next_href,
        today_href: "/calendar",
        weeks,
    };
    Ok(
        pages::calendar::calendar(&page.page(&format!("Calendar — {month_label}")), &view)
            .into_response(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn months_come_from_the_query_or_today() {
        let today = Date::new(2026, 11, 25).unwrap();
        assert_eq!(
            month_start("2027-02", today),
            Date::new(2027, 2, 1).unwrap()
        );
        assert_eq!(month_start("", today), Date::new(2026, 11, 1).unwrap());
        assert_eq!(
            month_start("2027-13", today),
            Date::new(2026, 11, 1).unwrap()
        );
        assert_eq!(
            month_start("nonsense", today),
            Date::new(2026, 11, 1).unwrap()
        );
    }
}
