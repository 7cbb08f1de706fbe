//! The page a co-organizer invite link opens: accept it (after signing in if need be), or
//! why it can no longer be accepted and what to do.

use maud::{Markup, html};

use crate::{
    Page, icons,
    layout::{csrf_field, layout},
};

/// Where a co-organizer invite stands.
#[derive(Clone, Debug)]
pub enum InviteState {
    Open {
        accept_action: String,
        signed_in: bool,
        login_href: String,
    },
    /// Open, but the viewer is signed in with another address than the invited one: they can
    /// sign out and sign in with it (`switch_to`, the sign-in form filled in and leading back).
    ForSomeoneElse {
        signed_in_as: String,
        switch_to: String,
    },
    Expired,
    Used,
    Revoked,
    Invalid,
    AlreadyOrganizer {
        series_href: String,
    },
}

/// The page an invite link opens.
#[derive(Clone, Debug)]
pub struct InviteView<'a> {
    pub series_name: Option<&'a str>,
    pub inviter: Option<&'a str>,
    pub email: Option<&'a str>,
    pub expires: Option<&'a str>,
    pub state: InviteState,
}

pub fn invite_page(page: &Page<'_>, view: &InviteView<'_>) -> Markup {
    let series = view.series_name.unwrap_or("a jam series");
    let ask = "Ask the series owner to send you a new invite.";
    let (icon, title, body): (Markup, &str, Markup) = match &view.state {
        InviteState::Open {
            accept_action,
            signed_in,
            login_href,
        } => (
            icons::user_group("size-12"),
            "Join as co-organizer",
            html! {
                p class="text-lg" {
                    (view.inviter.unwrap_or("Someone")) " invited you"
                    @if let Some(email) = view.email { " (" strong { (email) } ")" }
                    " to co-organize " strong { (series) } "."
                }
                @if let Some(expires) = view.expires {
                    p class="text-base-content/70" { "The invite expires " (expires) "." }
                }
                @if *signed_in {
                    form method="post" action=(accept_action) {
                        (csrf_field(page.csrf))
                        button type="submit" class="btn btn-primary btn-lg" { "Accept invite" }
                    }
                } @else {
                    a href=(login_href) class="btn btn-primary btn-lg" {
                        (icons::arrow_right_end_on_rectangle("size-5")) "Sign in or sign up to accept"
                    }
                    @if let Some(email) = view.email {
                        p class="text-sm text-base-content/70" { "Use " (email) " so the invite matches." }
                    }
                }
            },
        ),
        InviteState::ForSomeoneElse {
            signed_in_as,
            switch_to,
        } => {
            let invited = view.email.unwrap_or("another address");
            (
                icons::user_group("size-12"),
                "This invite is for someone else",
                html! {
                    p class="text-lg" {
                        (view.inviter.unwrap_or("Someone")) " invited you to co-organize " strong { (series) } "."
                    }
                    p class="text-lg" {
                        "This invite is for " strong { (invited) } "; you're signed in as " strong { (signed_in_as) } "."
                    }
                    form method="post" action="/logout" {
                        (csrf_field(page.csrf))
                        input type="hidden" name="next" value=(switch_to);
                        button type="submit" class="btn btn-primary btn-lg h-auto min-h-12 py-3" {
                            (icons::arrow_right_end_on_rectangle("size-5 shrink-0")) "Sign out and sign in as " (invited)
                        }
                    }
                    p class="text-sm text-base-content/70" {
                        "If it was meant for you, ask the series' owner to send it to " (signed_in_as) " instead."
                    }
                },
            )
        }
        InviteState::Expired => (
            icons::clock("size-12"),
            "This invite has expired",
            html! { p class="text-lg" { "Invites work for a limited time. " (ask) } },
        ),
        InviteState::Used => (
            icons::check_circle("size-12"),
            "This invite was already used",
            html! {
                p class="text-lg" {
                    "Each invite works once. If you accepted it, the series is already on your dashboard; "
                    "otherwise ask the series' owner for a new invite."
                }
            },
        ),
        InviteState::Revoked => (
            icons::x_mark("size-12"),
            "This invite was withdrawn",
            html! { p class="text-lg" { "The owner revoked it. " (ask) } },
        ),
        InviteState::Invalid => (
            icons::exclamation_triangle("size-12"),
            "This invite link does not work",
            html! { p class="text-lg" { "Check that you copied the whole link, or " (ask.to_lowercase()) } },
        ),
        InviteState::AlreadyOrganizer { series_href } => (
            icons::check_circle("size-12"),
            "You already organize this series",
            html! {
                p class="text-lg" { "You are an organizer of " strong { (series) } " already; nothing to accept." }
                a href=(series_href) class="btn btn-primary" { "Go to the series" }
            },
        ),
    };
    layout(
        page,
        html! {
            section class="max-w-md mx-auto text-center flex flex-col items-center gap-4 py-6" aria-labelledby="invite-title" {
                div class="text-primary" { (icon) }
                h1 id="invite-title" class="text-3xl font-bold" { (title) }
                (body)
            }
        },
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pages::jams::testing::*;

    #[test]
    fn an_open_invite_is_accepted_with_a_button_or_after_signing_in() {
        let open = |signed_in| InviteView {
            series_name: Some("Park <jam>"),
            inviter: Some("Ana"),
            email: Some("bo@example.org"),
            expires: Some("8 Dec 2026"),
            state: InviteState::Open {
                accept_action: "/invites/abc/accept".into(),
                signed_in,
                login_href: "/login?next=%2Finvites%2Fabc".into(),
            },
        };
        let html = invite_page(&page(), &open(true)).into_string();
        assert!(html.contains("Ana invited you"));
        assert!(html.contains("bo@example.org") && html.contains("Park &lt;jam&gt;"));
        assert!(html.contains("8 Dec 2026"));
        assert!(
            assert_post_forms_have_csrf(&html, None)
                .iter()
                .any(|a| a == "/invites/abc/accept")
        );
        let html = invite_page(&page(), &open(false)).into_string();
        assert!(!html.contains("/invites/abc/accept"));
        assert!(html.contains(r#"href="/login?next=%2Finvites%2Fabc""#));
        assert!(html.contains("Sign in or sign up to accept"));
    }

    #[test]
    fn an_invite_for_another_address_offers_to_switch() {
        let html = invite_page(
            &page(),
            &InviteView {
                series_name: Some("Park"),
                inviter: Some("Ana"),
                email: Some("carol@example.org"),
                expires: None,
                state: InviteState::ForSomeoneElse {
                    signed_in_as: "dave@example.org".into(),
                    switch_to: "/login?next=%2Fjams%2Finvites%2Fabc&email=carol%40example.org"
                        .into(),
                },
            },
        )
        .into_string();
        assert!(html.contains(
            "This invite is for <strong>carol@example.org</strong>; you&#39;re signed in as <strong>dave@example.org</strong>."
        ) || html.contains(
            "This invite is for <strong>carol@example.org</strong>; you're signed in as <strong>dave@example.org</strong>."
        ), "{html}");
        assert!(
            assert_post_forms_have_csrf(&html, None)
                .iter()
                .any(|a| a == "/logout")
        );
        assert!(html.contains("Sign out and sign in as carol@example.org"));
        assert!(!html.contains("Accept invite"));
    }

    #[test]
    fn closed_invites_say_what_happened_and_what_to_do() {
        for (state, heading) in [
            (InviteState::Expired, "expired"),
            (InviteState::Used, "already used"),
            (InviteState::Revoked, "withdrawn"),
            (InviteState::Invalid, "does not work"),
        ] {
            let html = invite_page(
                &page(),
                &InviteView {
                    series_name: None,
                    inviter: None,
                    email: None,
                    expires: None,
                    state,
                },
            )
            .into_string();
            assert!(html.contains(heading), "{heading}");
            assert!(html.contains("new invite"), "{heading}: no way forward");
        }
        let used = invite_page(
            &page(),
            &InviteView {
                series_name: None,
                inviter: None,
                email: None,
                expires: None,
                state: InviteState::Used,
            },
        )
        .into_string();
        assert!(used.contains(
            "Each invite works once. If you accepted it, the series is already on your dashboard; \
             otherwise ask the series&#39; owner for a new invite."
        ) || used.contains(
            "Each invite works once. If you accepted it, the series is already on your dashboard; \
             otherwise ask the series' owner for a new invite."
        ));
        let html = invite_page(
            &page(),
            &InviteView {
                series_name: Some("Park"),
                inviter: None,
                email: None,
                expires: None,
                state: InviteState::AlreadyOrganizer {
                    series_href: "/jams/s1".into(),
                },
            },
        )
        .into_string();
        assert!(html.contains("already organize") && html.contains(r#"href="/jams/s1""#));
    }
}
