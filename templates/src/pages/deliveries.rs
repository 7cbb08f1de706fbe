//! What became of the emails, in words: the line on an organizer's registration row and the
//! superadmin's delivery log (a day's notifications, filters, the suppression list).

use jamie::{
    notifications::Suppression,
    outbox::{Kind, Notification, Status},
};
use jiff::{civil::Date, tz::TimeZone};
use maud::{Markup, html};

use crate::{
    Page,
    components::{Tone, alert, percent_encode},
    icons,
    layout::{csrf_field, layout},
    pages::admin::admin_nav,
    when,
};

/// Every kind of notification by its [`Kind::name`], in human words.
pub const KINDS: [(&str, &str); 16] = [
    ("confirmed", "Confirmation"),
    ("waitlisted", "Waitlist email"),
    ("promoted", "Promotion email"),
    ("role_changed", "Role change"),
    ("registration_cancelled", "Cancellation"),
    ("hold_released", "Released unconfirmed"),
    ("session_changed", "Session change"),
    ("session_cancelled", "Session cancelled"),
    ("reminder", "Reminder"),
    ("organizer_message", "Organizer's message"),
    ("sign_in_link", "Sign-in link"),
    ("email_change", "Email change link"),
    ("invitation", "Co-organizer invitation"),
    (
        "session_changed_for_everyone",
        "Session change, to everyone",
    ),
    (
        "session_cancelled_for_everyone",
        "Session cancelled, to everyone",
    ),
    ("message_for_everyone", "Organizer's message, to everyone"),
];

/// "Promotion email".
pub fn kind_words(kind: &Kind) -> &'static str {
    let name = kind.name();
    KINDS
        .iter()
        .find(|(known, _)| *known == name)
        .map_or("Email", |(_, words)| words)
}

/// "delivered", "bounced"…
pub fn status_words(status: Status) -> &'static str {
    match status {
        Status::Pending | Status::Sending => "queued",
        Status::Sent => "sent",
        Status::Delivered => "delivered",
        Status::Bounced => "bounced",
        Status::Complained => "marked as spam",
        Status::Failed => "failed",
        Status::Skipped => "not needed any more",
        Status::Suppressed => "not sent",
        Status::Expanded => "sent to each person",
    }
}

/// Whether the status means the person did not get it.
fn went_wrong(status: Status) -> bool {
    matches!(
        status,
        Status::Bounced | Status::Complained | Status::Failed | Status::Suppressed
    )
}

/// The line on a registration row: "Promotion email · delivered", "Confirmation · bounced — we
/// no longer email this address", "Reminder · queued".
pub fn email_line(about: &Kind, status: Status) -> Markup {
    let tone = if went_wrong(status) {
        "text-error"
    } else {
        "text-base-content/70"
    };
    html! {
        p class={ "text-xs break-words " (tone) } data-email-status=(status.as_str()) {
            span class="sr-only" { "Latest email: " }
            (kind_words(about)) " · " (status_words(status))
            @if matches!(status, Status::Bounced | Status::Complained | Status::Suppressed) {
                " — we no longer email this address"
            }
        }
    }
}

fn status_badge(status: Status) -> Markup {
    let class = match status {
        // One line: "sent to each person" otherwise spills out of the pill.
        Status::Delivered => "badge badge-success badge-sm whitespace-nowrap",
        Status::Bounced | Status::Complained | Status::Failed | Status::Suppressed => {
            "badge badge-error badge-sm whitespace-nowrap"
        }
        Status::Sent | Status::Expanded => "badge badge-info badge-sm whitespace-nowrap",
        _ => "badge badge-ghost badge-sm whitespace-nowrap",
    };
    html! { span class=(class) { (status_words(status)) } }
}

/// What a suppression search found.
#[derive(Clone, Debug)]
pub enum SuppressionCheck<'a> {
    /// The address is suppressed, since then and why.
    Suppressed(&'a Suppression),
    /// Emails go to it (also what a lifted suppression shows next).
    NotSuppressed(&'a str),
    /// What was typed is not an address.
    Invalid(&'a str),
}

/// The delivery log of one UTC day.
#[derive(Clone, Debug)]
pub struct DeliveryLogView<'a> {
    pub day: Date,
    pub today: Date,
    /// The notifications the filter kept of this page, newest first.
    pub rows: &'a [Notification],
    pub status: Option<Status>,
    /// A [`Kind::name`], or "".
    pub kind: &'a str,
    pub recipient: &'a str,
    /// The cursor of the next (older) page of the day.
    pub next: Option<&'a str>,
    /// The suppression search, when one was made.
    pub check: Option<SuppressionCheck<'a>>,
}

impl DeliveryLogView<'_> {
    /// The query that keeps this day and filter (for the next page's link).
    fn filter_query(&self) -> String {
        format!(
            "day={}&status={}&kind={}&q={}",
            when::iso_date(self.day),
            self.status.map_or("", Status::as_str),
            percent_encode(self.kind),
            percent_encode(self.recipient)
        )
    }
}

pub fn delivery_log(page: &Page<'_>, view: &DeliveryLogView<'_>) -> Markup {
    layout(
        page,
        html! {
            section class="flex flex-col gap-6" aria-labelledby="deliveries-title" {
                div class="flex flex-wrap items-center justify-between gap-2" {
                    h1 id="deliveries-title" class="text-3xl font-bold" { "Deliveries" }
                    (admin_nav("/admin/deliveries"))
                }
                (suppression_box(page, view.check.as_ref()))
                (filters(view))
                @if view.rows.is_empty() {
                    p class="text-base-content/70" {
                        "No emails on " (when::date(view.day)) " match."
                    }
                } @else {
                    (log_table(view.rows))
                }
                @if let Some(next) = view.next {
                    a class="btn btn-ghost self-start"
                        href={ "/admin/deliveries?" (view.filter_query()) "&after=" (percent_encode(next)) } {
                        "Older emails of this day" (icons::chevron_right("size-4"))
                    }
                }
            }
        },
    )
}

fn suppression_box(page: &Page<'_>, check: Option<&SuppressionCheck<'_>>) -> Markup {
    html! {
        section class="card bg-base-200" aria-labelledby="suppression-title" {
            div class="card-body gap-3 p-4" {
                h2 id="suppression-title" class="card-title text-lg" { "Is this address suppressed?" }
                p class="text-sm text-base-content/70" {
                    "A hard bounce or a spam complaint puts an address on the list; no email goes to it until the suppression is lifted."
                }
                form method="get" action="/admin/deliveries" role="search" class="join w-full max-w-md" {
                    label for="suppressed-email" class="sr-only" { "Email address" }
                    input id="suppressed-email" name="email" type="email" required
                        placeholder="name@example.org" class="input join-item w-full";
                    button type="submit" class="btn join-item" { "Check" }
                }
                @match check {
                    None => {}
                    Some(SuppressionCheck::Invalid(message)) => { (alert(Tone::Error, message)) }
                    Some(SuppressionCheck::NotSuppressed(email)) => {
                        p role="status" { strong { (email) } " is not suppressed: emails go to it." }
                    }
                    Some(SuppressionCheck::Suppressed(suppression)) => {
                        div role="status" class="flex flex-col gap-2 items-start" {
                            p {
                                strong class="break-all" { (suppression.email.as_str()) }
                                " is suppressed since "
                                (when::moment_in_zone(suppression.since, &TimeZone::UTC))
                                ": " (suppression.reason)
                            }
                            form method="post" action="/admin/deliveries/suppressions/lift" {
                                (csrf_field(page.csrf))
                                input type="hidden" name="email" value=(suppression.email.as_str());
                                button type="submit" class="btn btn-sm btn-warning" { "Lift the suppression" }
                            }
                        }
                    }
                }
            }
        }
    }
}

fn filters(view: &DeliveryLogView<'_>) -> Markup {
    html! {
        form method="get" action="/admin/deliveries" class="flex flex-wrap items-end gap-2" aria-label="Filter the log" {
            label class="flex flex-col gap-1 text-sm" {
                "Day (UTC)"
                input type="date" name="day" value=(when::iso_date(view.day))
                    max=(when::iso_date(view.today)) class="input input-sm w-40";
            }
            label class="flex flex-col gap-1 text-sm" {
                "Status"
                select name="status" class="select select-sm" {
                    option value="" selected[view.status.is_none()] { "Any" }
                    @for status in Status::ALL {
                        option value=(status.as_str()) selected[view.status == Some(status)] { (status.as_str()) }
                    }
                }
            }
            label class="flex flex-col gap-1 text-sm" {
                "Kind"
                select name="kind" class="select select-sm" {
                    option value="" selected[view.kind.is_empty()] { "Any" }
                    @for (name, words) in KINDS {
                        option value=(name) selected[view.kind == name] { (words) }
                    }
                }
            }
            label class="flex flex-col gap-1 text-sm grow" {
                "Recipient"
                input type="search" name="q" value=(view.recipient)
                    placeholder="Part of the address" class="input input-sm w-full";
            }
            button type="submit" class="btn btn-sm" { "Show" }
        }
    }
}

/// The label of a cell on phones, where the rows are cards and the head is hidden.
fn cell_label(label: &str) -> Markup {
    html! { span class="md:hidden font-sans text-base-content/70" { (label) ": " } }
}

fn log_table(rows: &[Notification]) -> Markup {
    html! {
        div class="md:overflow-x-auto" {
            table class="table table-sm block md:table" {
                caption class="sr-only" { "Emails of the day, newest first" }
                thead class="hidden md:table-header-group" {
                    tr { th { "Time (UTC)" } th { "Kind" } th { "Recipient" } th { "Status" } th { "SES message id" } th { "Detail" } }
                }
                tbody class="flex flex-col gap-3 md:table-row-group" {
                    @for row in rows {
                        tr class="flex flex-col gap-1 rounded-box bg-base-200 p-3 md:table-row md:bg-transparent md:p-0" data-notification=(row.id.as_str()) {
                            td class="whitespace-nowrap text-sm" {
                                (when::time(when::local(row.created_at, &TimeZone::UTC).time()))
                            }
                            td { (kind_words(&row.about)) }
                            td class="break-all" { (cell_label("To")) @if row.address().is_empty() { "—" } @else { (row.address()) } }
                            td { (status_badge(row.status)) }
                            td class="break-all font-mono text-xs" { (cell_label("SES id")) (row.provider_id.as_deref().unwrap_or("—")) }
                            // On a phone's card an empty detail would be an empty line.
                            td class={ "text-sm break-words max-w-prose" @if row.detail.is_none() { " max-md:hidden" } } {
                                (cell_label("Detail")) (row.detail.as_deref().unwrap_or(""))
                            }
                        }
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use std::collections::HashSet;

    use jamie::{
        ids::{NotificationId, RegistrationId, SessionId},
        outbox::Recipient,
        values::Email,
    };
    use jiff::Timestamp;

    use super::*;
    use crate::test_support::{page, post_actions};

    fn promoted() -> Kind {
        Kind::Promoted {
            session: SessionId::generate(),
            registration: RegistrationId::generate(),
        }
    }

    #[test]
    fn each_kind_has_its_own_words() {
        let names: HashSet<_> = KINDS.iter().map(|(name, _)| name).collect();
        let words: HashSet<_> = KINDS.iter().map(|(_, words)| words).collect();
        assert_eq!(names.len(), KINDS.len());
        assert_eq!(words.len(), KINDS.len());
        assert_eq!(kind_words(&promoted()), "Promotion email");
    }

    #[test]
    fn a_row_says_what_became_of_the_latest_email() {
        let delivered = email_line(&promoted(), Status::Delivered).into_string();
        assert!(
            delivered.contains("Promotion email · delivered"),
            "{delivered}"
        );
        assert!(!delivered.contains("no longer"));
        let bounced = email_line(&promoted(), Status::Bounced).into_string();
        assert!(
            bounced.contains("bounced — we no longer email this address"),
            "{bounced}"
        );
        assert!(bounced.contains("text-error"));
        assert!(
            email_line(&promoted(), Status::Pending)
                .into_string()
                .contains("· queued")
        );
    }

    #[test]
    fn the_log_lists_each_email_and_lifts_a_suppression_by_a_csrf_form() {
        let sent = Notification {
            id: NotificationId::generate(),
            about: promoted(),
            to: Some(Recipient::email(&Email::parse("ana@example.org").unwrap())),
            created_at: "2027-03-09T18:00:00Z".parse().unwrap(),
            status: Status::Bounced,
            attempts: 1,
            lease_until: None,
            provider_id: Some("0100-ses-id".to_owned()),
            detail: Some("Permanent bounce (General): 550 <user unknown>".to_owned()),
            updated_at: None,
        };
        let suppression = Suppression {
            email: Email::parse("ana@example.org").unwrap(),
            reason: "bounced: Permanent bounce".to_owned(),
            since: Timestamp::UNIX_EPOCH,
        };
        let day = Date::constant(2027, 3, 9);
        let rows = [sent];
        let view = DeliveryLogView {
            day,
            today: day,
            rows: &rows,
            status: Some(Status::Bounced),
            kind: "promoted",
            recipient: "ana",
            next: Some("cursor#1"),
            check: Some(SuppressionCheck::Suppressed(&suppression)),
        };
        let html = delivery_log(&page(), &view).into_string();
        for shown in [
            "18:00",
            "Promotion email",
            "ana@example.org",
            "0100-ses-id",
            "550 &lt;user unknown&gt;",
            "is suppressed since",
        ] {
            assert!(html.contains(shown), "{shown} missing");
        }
        assert!(html.contains(r#"<option value="bounced" selected>"#));
        assert!(html.contains(r#"<option value="promoted" selected>"#));
        assert!(html.contains("status=bounced&amp;kind=promoted&amp;q=ana&amp;after=cursor%231"));
        assert!(
            post_actions(&html).contains(&"/admin/deliveries/suppressions/lift".to_owned()),
            "the lift is a POST with the CSRF token"
        );
    }
}
