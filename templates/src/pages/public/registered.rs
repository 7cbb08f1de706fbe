//! The page after registering, at its private address: where the registration stands
//! (confirmed or on a waitlist) and how to cancel.

use jamie::values::RoleChoice;
use maud::{Markup, html};

use crate::{Page, icons, layout::layout, pages::jams::back_link};

/// The page after registering, at its private address (the cancel link's token): it shows
/// where the registration stands now, as often as it is opened.
#[derive(Clone, Debug)]
pub struct RegisteredView<'a> {
    pub series_name: &'a str,
    pub session_href: &'a str,
    pub date: &'a str,
    pub time: &'a str,
    pub time_zone: &'a str,
    pub name: &'a str,
    pub email: &'a str,
    /// Confirmed now (registered so, or promoted since).
    pub confirmed: bool,
    /// Cancelled since (by them or by an organizer): neither confirmed nor waiting.
    pub cancelled: bool,
    /// The organizers cancelled the session.
    pub session_cancelled: bool,
    /// The session has ended.
    pub session_over: bool,
    /// The role held when confirmed; the one asked for when waitlisted.
    pub role: RoleChoice,
    /// The waitlist position in the role's queue.
    pub position: Option<u32>,
    /// The secret cancel link (the same secret as this page's address).
    pub cancel_url: &'a str,
    /// The session's calendar file, `/s/{id}.ics`.
    pub calendar_href: &'a str,
}

/// "a base", "a flyer".
fn as_role(role: RoleChoice) -> Option<&'static str> {
    match role {
        RoleChoice::Base => Some("a base"),
        RoleChoice::Flyer => Some("a flyer"),
        RoleChoice::Either => None,
    }
}

/// The queue a waitlisted person is in: "bases", "flyers", "either role".
fn queue(role: RoleChoice) -> &'static str {
    match role {
        RoleChoice::Base => "bases",
        RoleChoice::Flyer => "flyers",
        RoleChoice::Either => "either role",
    }
}

pub fn registered(page: &Page<'_>, view: &RegisteredView<'_>) -> Markup {
    let when = html! {
        strong { (view.series_name) } " on " (view.date) ", "
        span class="tabular-nums whitespace-nowrap" { (view.time) }
        @if !view.time_zone.is_empty() { " (" (view.time_zone) ")" }
    };
    let active = !view.cancelled && !view.session_cancelled && !view.session_over;
    layout(
        page,
        html! {
            section class="max-w-xl mx-auto flex flex-col gap-5" aria-labelledby="registered-title" {
                @if view.cancelled {
                    div class="flex items-center gap-3" {
                        (icons::x_mark("size-10 shrink-0"))
                        h1 id="registered-title" class="text-3xl font-bold" { "Your registration is cancelled" }
                    }
                    p class="text-lg" { "You are no longer registered for " (when) "." }
                } @else if view.confirmed {
                    div class="flex items-center gap-3" {
                        (icons::check_circle("size-10 shrink-0 text-success"))
                        h1 id="registered-title" class="text-3xl font-bold" { "You're in!" }
                    }
                    p class="text-lg" {
                        @if let Some(role) = as_role(view.role) {
                            "Confirmed as " (role) " for " (when) "."
                        } @else {
                            "Confirmed for " (when) "."
                        }
                    }
                } @else {
                    div class="flex items-center gap-3" {
                        (icons::clock("size-10 shrink-0 text-primary"))
                        h1 id="registered-title" class="text-3xl font-bold" { "You're on the waitlist" }
                    }
                    p class="text-lg" {
                        @if let Some(position) = view.position {
                            "You're number " (position) " in the queue for " (queue(view.role))
                        } @else {
                            "You're in the queue for " (queue(view.role))
                        }
                        " at " (when) "."
                    }
                    p { "If a spot frees up, the first person waiting who fits gets it on their own, and this page then says you're confirmed." }
                }
                @if view.session_cancelled {
                    div class="alert alert-error items-start" role="status" {
                        (icons::x_mark("size-6 shrink-0"))
                        span { "The organizers cancelled this session." }
                    }
                } @else if view.session_over {
                    div class="alert" role="status" {
                        (icons::clock("size-6 shrink-0"))
                        span { "This session has already taken place." }
                    }
                }
                p class="flex items-start gap-2" {
                    (icons::users("size-5 shrink-0 mt-0.5"))
                    span class="min-w-0 break-words" {
                        "Registered"
                        @if !view.name.is_empty() { " as " strong { (view.name) } }
                        " with " strong class="break-words" { (view.email) } "."
                    }
                }
                @if active {
                    a href=(view.calendar_href) download class="btn btn-sm self-start" {
                        (icons::calendar_days("size-4")) "Add to calendar"
                    }
                }
                @if active {
                    div class="card bg-base-200" {
                        div class="card-body gap-2" {
                            p class="font-semibold" { "Keep this page: bookmark it or save its address." }
                            p class="text-sm" {
                                "It shows where your registration stands whenever you open it."
                            }
                            a href=(view.cancel_url) class="link link-primary font-semibold self-start mt-1" {
                                "Cancel my registration"
                            }
                            p class="text-sm" {
                                @if view.confirmed {
                                    "Can't make it? Cancel, and the next person waiting gets your spot. "
                                    "Keep this page to yourself: anyone with its address can cancel your spot."
                                } @else {
                                    "This link takes you off the waitlist. "
                                    "Keep this page to yourself: anyone with its address can take you off it."
                                }
                            }
                        }
                    }
                }
                (back_link(view.session_href, "Back to the session"))
            }
        },
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::test_support::page;

    fn registered_view(confirmed: bool, role: RoleChoice) -> RegisteredView<'static> {
        RegisteredView {
            series_name: "Park <jam>",
            session_href: "/s/d1",
            date: "Tue 1 Dec 2026",
            time: "19:00–21:00",
            time_zone: "Europe/Berlin",
            name: "Ana <x>",
            email: "ana@example.org",
            confirmed,
            role,
            position: Some(3),
            cancel_url: "https://jamie.example/r/secret-token",
            calendar_href: "/s/d1.ics",
            cancelled: false,
            session_cancelled: false,
            session_over: false,
        }
    }

    #[test]
    fn the_registered_page_says_where_they_stand_and_how_to_cancel() {
        let html = registered(&page(), &registered_view(true, RoleChoice::Base)).into_string();
        assert!(html.contains("You're in!"));
        assert!(html.contains(
            "Confirmed as a base for <strong>Park &lt;jam&gt;</strong> on Tue 1 Dec 2026"
        ));
        assert!(html.contains("(Europe/Berlin)"));
        assert!(html.contains(r#"href="https://jamie.example/r/secret-token""#));
        assert!(html.contains("Cancel my registration</a>"));
        assert!(html.contains(r#"href="/s/d1.ics" download"#));
        assert!(html.contains("Registered as <strong>Ana &lt;x&gt;</strong>"));
        assert!(html.contains("anyone with its address can cancel your spot"));
        assert!(html.contains("ana@example.org"));
        assert!(
            !html.contains("We sent") && !html.contains("We'll email"),
            "no promise of an email that is not sent"
        );
        let main = html.split("<main").nth(1).unwrap();
        assert!(!main.contains("waitlist"));

        let html = registered(&page(), &registered_view(false, RoleChoice::Base)).into_string();
        assert!(html.contains("You're on the waitlist"));
        assert!(html.contains("number 3 in the queue for bases"));
        assert!(html.contains("this page then says you're confirmed"));
        assert!(html.contains("Cancel my registration</a>"));
        assert!(html.contains("This link takes you off the waitlist."));
        assert!(
            !html.contains("cancel your spot"),
            "a waitlisted person holds no spot"
        );
        let html = registered(&page(), &registered_view(false, RoleChoice::Either)).into_string();
        assert!(html.contains("number 3 in the queue for either role"));
        let html = registered(
            &page(),
            &RegisteredView {
                position: None,
                ..registered_view(false, RoleChoice::Flyer)
            },
        )
        .into_string();
        assert!(html.contains("You're in the queue for flyers"));

        let html = registered(
            &page(),
            &RegisteredView {
                cancelled: true,
                ..registered_view(true, RoleChoice::Base)
            },
        )
        .into_string();
        assert!(html.contains("Your registration is cancelled"));
        assert!(!html.contains("You're in!") && !html.contains("secret-token"));
    }
}
