//! Signing in: the one form (email, and a name the first time), "check your inbox", the link's
//! confirmation page (one button: mail scanners open links, only a press signs in), and the
//! pages for links that cannot be used.

use maud::{Markup, html};

use crate::{
    Page,
    components::{Field, Tone, alert, field},
    icons,
    layout::{csrf_field, layout},
};

/// What the sign-in form holds (kept when it is shown again with errors).
#[derive(Clone, Debug, Default)]
pub struct LoginForm<'a> {
    pub email: &'a str,
    pub display_name: &'a str,
    pub next: &'a str,
    pub email_error: Option<&'a str>,
    pub display_name_error: Option<&'a str>,
    /// A message about the whole form (rate limit).
    pub problem: Option<&'a str>,
    /// A message about the password form (wrong password, paused).
    pub password_problem: Option<&'a str>,
    /// Password sign-in is paused: offer the sign-in link for the address typed, which works.
    pub offer_link: bool,
}

pub fn login(page: &Page<'_>, form: &LoginForm<'_>) -> Markup {
    layout(
        page,
        html! {
            section class="max-w-md mx-auto" aria-labelledby="login-title" {
                h1 id="login-title" class="text-3xl font-bold mb-2" { "Log in or sign up" }
                p class="text-base-content/80 mb-6" {
                    "Enter your email and we will send you a link that signs you in. "
                    "No password needed. New here? The same link creates your account."
                }
                @if let Some(problem) = form.problem {
                    div class="mb-4" { (alert(Tone::Error, problem)) }
                }
                form method="post" action="/login" class="card bg-base-200" novalidate {
                    div class="card-body gap-2" {
                        (csrf_field(page.csrf))
                        input type="hidden" name="next" value=(form.next);
                        (field(Field {
                            kind: "email",
                            value: form.email,
                            error: form.email_error,
                            autocomplete: "email",
                            required: true,
                            max_length: 254,
                            ..Field::new("Email", "email")
                        }))
                        (field(Field {
                            value: form.display_name,
                            error: form.display_name_error,
                            hint: Some("Only needed the first time: the name participants will see."),
                            autocomplete: "name",
                            max_length: 80,
                            ..Field::new("Your name", "display_name")
                        }))
                        button type="submit" class="btn btn-primary mt-2" {
                            (icons::envelope("size-5"))
                            "Email me a sign-in link"
                        }
                    }
                }
                details class="mt-6 collapse collapse-arrow bg-base-200" open[form.password_problem.is_some()] {
                    summary class="collapse-title font-semibold" { "Have a password? Sign in with it" }
                    div class="collapse-content" {
                        @if let Some(problem) = form.password_problem {
                            div class="mb-2" { (alert(Tone::Error, problem)) }
                        }
                        @if form.offer_link {
                            form method="post" action="/login" class="mb-4" {
                                (csrf_field(page.csrf))
                                input type="hidden" name="next" value=(form.next);
                                input type="hidden" name="email" value=(form.email);
                                p class="text-sm mb-2" {
                                    "A sign-in link by email still works: we send it to "
                                    strong { (form.email) } "."
                                }
                                button type="submit" class="btn btn-primary btn-sm" {
                                    (icons::envelope("size-4"))
                                    "Email me a sign-in link"
                                }
                            }
                        }
                        form method="post" action="/login/password" novalidate {
                            (csrf_field(page.csrf))
                            input type="hidden" name="next" value=(form.next);
                            // Same name as the link form's field, its own id.
                            (field(Field {
                                kind: "email",
                                value: form.email,
                                id: Some("field-password-email"),
                                autocomplete: "username",
                                required: true,
                                max_length: 254,
                                ..Field::new("Email", "email")
                            }))
                            (field(Field {
                                kind: "password",
                                autocomplete: "current-password",
                                required: true,
                                max_length: 200,
                                ..Field::new("Password", "password")
                            }))
                            button type="submit" class="btn btn-outline mt-2" { "Sign in" }
                        }
                    }
                }
            }
        },
    )
}

pub fn check_inbox(page: &Page<'_>, email: &str) -> Markup {
    layout(
        page,
        html! {
            section class="max-w-md mx-auto text-center flex flex-col items-center gap-4 py-6" aria-labelledby="inbox-title" {
                div class="text-primary" { (icons::envelope("size-12")) }
                h1 id="inbox-title" class="text-3xl font-bold" { "Check your inbox" }
                p class="text-lg" {
                    "If " strong { (email) } " can sign in to Jamie, a link is on its way. "
                    "It works once, for 15 minutes."
                }
                p class="text-base-content/70" {
                    "Nothing after a few minutes? Check your spam folder, or "
                    a href="/login" class="link" { "ask for another link" } "."
                }
            }
        },
    )
}

pub fn confirm_link(page: &Page<'_>, token: &str, email: &str) -> Markup {
    layout(
        page,
        html! {
            section class="max-w-md mx-auto text-center flex flex-col items-center gap-4 py-6" aria-labelledby="confirm-title" {
                div class="text-primary" { (icons::arrow_right_end_on_rectangle("size-12")) }
                h1 id="confirm-title" class="text-3xl font-bold" { "Sign in to Jamie" }
                p class="text-lg" { "You are signing in as " strong { (email) } "." }
                form method="post" action={ "/auth/link/" (token) } {
                    (csrf_field(page.csrf))
                    button type="submit" class="btn btn-primary btn-lg" { "Sign me in" }
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
    fn the_login_form_keeps_values_and_shows_errors_beside_fields() {
        let page = Page::new("Log in", "/login", Theme::System).csrf("tok");
        let html = login(
            &page,
            &LoginForm {
                email: "ana@",
                display_name: "Ana",
                next: "/jams",
                email_error: Some("Enter an email address like name@example.org."),
                ..LoginForm::default()
            },
        )
        .into_string();
        assert!(html.contains(r#"value="ana@""#));
        assert!(html.contains(r#"value="Ana""#));
        assert!(html.contains(r#"name="csrf" value="tok""#));
        assert!(html.contains(r#"aria-invalid="true""#));
        assert!(html.contains("Enter an email address like name@example.org."));
        assert!(html.contains(r#"name="next" value="/jams""#));
    }

    #[test]
    fn each_login_form_labels_its_own_email_field() {
        let page = Page::new("Log in", "/login", Theme::System).csrf("tok");
        let html = login(&page, &LoginForm::default()).into_string();
        let ids: Vec<&str> = html
            .split(r#" id=""#)
            .skip(1)
            .map(|rest| &rest[..rest.find('"').unwrap()])
            .collect();
        for (i, id) in ids.iter().enumerate() {
            assert!(!ids[i + 1..].contains(id), "id {id} used twice");
        }
        for id in ["field-email", "field-password-email", "field-password"] {
            assert!(
                html.contains(&format!(r#"for="{id}""#)),
                "no label for {id}"
            );
            assert!(html.contains(&format!(r#"aria-describedby="{id}-note""#)));
            assert!(html.contains(&format!(r#"<p id="{id}-note""#)));
        }
        assert!(html.contains(r#"<input id="field-email" name="email" type="email""#));
        assert!(html.contains(r#"<input id="field-password-email" name="email" type="email""#));
        // Both are required: the attribute and the visible marker.
        assert_eq!(
            html.matches(r#"aria-hidden="true">required</span>"#)
                .count(),
            3
        );
    }
}
