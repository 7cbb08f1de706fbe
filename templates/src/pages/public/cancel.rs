//! The page a private cancel link opens: what the registration is and the one red
//! button that cancels it, or why it can no longer be cancelled.

use maud::{Markup, html};

use crate::{
    Page,
    components::{Tone, alert},
    icons,
    layout::{csrf_field, layout},
    pages::jams::detail,
};

/// What the private cancel link can still do.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CancelState {
    /// Cancellable: the form posts to `action`.
    Active {
        action: String,
    },
    AlreadyCancelled,
    SessionOver,
}

/// The page the private cancel link opens.
#[derive(Clone, Debug)]
pub struct CancelView<'a> {
    pub series_name: &'a str,
    pub date: &'a str,
    pub time: &'a str,
    pub name: &'a str,
    /// e.g. "Confirmed as a base", "Waitlisted (number 2 for flyers)", "Cancelled".
    pub status_label: &'a str,
    /// Waitlisted: cancelling frees no spot, it takes them off the waitlist.
    pub waitlisted: bool,
    pub state: CancelState,
    /// e.g. "Your registration is cancelled. Your spot went to the next person on the waitlist."
    pub notice: Option<&'a str>,
}

/// The cancel page. With a notice (just cancelled), the "already cancelled" line is left out:
/// the notice says it.
pub fn cancel_page(page: &Page<'_>, view: &CancelView<'_>) -> Markup {
    layout(
        page,
        html! {
            section class="max-w-xl mx-auto flex flex-col gap-5" aria-labelledby="cancel-title" {
                @if let Some(notice) = view.notice { (alert(Tone::Success, notice)) }
                h1 id="cancel-title" class="text-3xl font-bold" { "Your registration" }
                dl class="card bg-base-200 card-body gap-3" {
                    (detail(icons::calendar_days("size-5"), "Session", html! {
                        span class="font-semibold" { (view.series_name) } br;
                        (view.date) ", " span class="tabular-nums whitespace-nowrap" { (view.time) }
                    }))
                    (detail(icons::users("size-5"), "Registration", html! {
                        (view.name) br;
                        (view.status_label)
                    }))
                }
                @match &view.state {
                    CancelState::Active { action } => {
                        form method="post" action=(action) class="flex flex-col gap-3 items-start" {
                            (csrf_field(page.csrf))
                            @if view.waitlisted {
                                p { "Can't come after all? Cancel, and you leave the waitlist." }
                            } @else {
                                p { "Can't come? Cancel, and the next person on the waitlist gets your spot." }
                            }
                            button type="submit" class="btn btn-error" {
                                (icons::x_mark("size-4")) "Cancel my registration"
                            }
                        }
                    }
                    CancelState::AlreadyCancelled => {
                        @if view.notice.is_none() {
                            div class="alert" role="status" {
                                (icons::information_circle("size-6 shrink-0"))
                                span { "This registration is already cancelled." }
                            }
                        }
                    }
                    CancelState::SessionOver => {
                        div class="alert" role="status" {
                            (icons::clock("size-6 shrink-0"))
                            span { "This session has already taken place." }
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

    use crate::test_support::{page, post_actions};

    fn cancel_view(state: CancelState, notice: Option<&'static str>) -> CancelView<'static> {
        CancelView {
            series_name: "Park <jam>",
            date: "Tue 1 Dec 2026",
            time: "19:00–21:00",
            name: "Ana <x>",
            status_label: "Waitlisted (number 2 for flyers)",
            waitlisted: true,
            state,
            notice,
        }
    }

    #[test]
    fn the_cancel_page_cancels_with_one_red_button() {
        let html = cancel_page(
            &page(),
            &cancel_view(
                CancelState::Active {
                    action: "/r/secret/cancel".into(),
                },
                None,
            ),
        )
        .into_string();
        assert_eq!(
            post_actions(&html),
            ["/preferences/theme", "/r/secret/cancel"]
        );
        assert!(html.contains(r#"<button type="submit" class="btn btn-error">"#));
        assert!(html.contains("Cancel my registration</button>"));
        assert!(html.contains("Park &lt;jam&gt;") && html.contains("Ana &lt;x&gt;"));
        assert!(html.contains("Waitlisted (number 2 for flyers)"));

        let html =
            cancel_page(&page(), &cancel_view(CancelState::AlreadyCancelled, None)).into_string();
        assert!(html.contains("This registration is already cancelled."));
        assert!(!html.contains("Cancel my registration"));

        let notice =
            "Your registration is cancelled. Your spot went to the next person on the waitlist.";
        let html = cancel_page(
            &page(),
            &cancel_view(CancelState::AlreadyCancelled, Some(notice)),
        )
        .into_string();
        assert!(html.contains(notice) && html.contains("alert-success"));
        assert!(!html.contains("already cancelled"), "the notice says it");

        let html = cancel_page(&page(), &cancel_view(CancelState::SessionOver, None)).into_string();
        assert!(html.contains("This session has already taken place."));
        assert!(!html.contains("Cancel my registration"));
    }
}
