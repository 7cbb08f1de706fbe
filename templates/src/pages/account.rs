//! The account page: the name participants see, the address, the password, and signing out
//! everywhere.

use maud::{Markup, html};

use crate::{
    Page,
    components::{Field, Tone, alert, field},
    icons,
    layout::{csrf_field, layout},
};

/// The page a confirmation link opens: one button, so mail scanners change nothing.
pub fn confirm_email(page: &Page<'_>, token: &str, new_email: &str) -> Markup {
    layout(
        page,
        html! {
            section class="max-w-md mx-auto text-center flex flex-col items-center gap-4 py-6" aria-labelledby="email-title" {
                h1 id="email-title" class="text-3xl font-bold" { "Confirm your new address" }
                p class="text-lg" { "Your Jamie account will use " strong { (new_email) } "." }
                form method="post" action={ "/account/email/" (token) } {
                    (csrf_field(page.csrf))
                    button type="submit" class="btn btn-primary btn-lg" { "Use this address" }
                }
            }
        },
    )
}

/// What the account page shows.
#[derive(Clone, Debug, Default)]
pub struct AccountView<'a> {
    pub email: &'a str,
    pub display_name: &'a str,
    pub display_name_error: Option<&'a str>,
    pub has_password: bool,
    pub password_error: Option<&'a str>,
    /// What was typed as the new address, and what is wrong with it.
    pub new_email: &'a str,
    pub new_email_error: Option<&'a str>,
    pub delete_error: Option<&'a str>,
    pub notice: Option<&'a str>,
}

pub fn account(page: &Page<'_>, view: &AccountView<'_>) -> Markup {
    layout(
        page,
        html! {
            section class="max-w-xl mx-auto flex flex-col gap-6" aria-labelledby="account-title" {
                h1 id="account-title" class="text-3xl font-bold" { "Your account" }
                @if let Some(notice) = view.notice { (alert(Tone::Success, notice)) }
                div class="card bg-base-200" {
                    div class="card-body" {
                        h2 class="card-title" { "Profile" }
                        p { "Signed in as " strong { (view.email) } "." }
                        form method="post" action="/account/name" novalidate {
                            (csrf_field(page.csrf))
                            (field(Field {
                                value: view.display_name,
                                error: view.display_name_error,
                                hint: Some("Participants see this name on your jams."),
                                autocomplete: "name",
                                required: true,
                                max_length: 80,
                                ..Field::new("Display name", "display_name")
                            }))
                            button type="submit" class="btn btn-primary mt-2" { "Save name" }
                        }
                    }
                }
                div class="card bg-base-200" {
                    div class="card-body" {
                        h2 class="card-title" { "Registrations" }
                        p {
                            "Jams you registered for with " strong { (view.email) } ", upcoming and past: "
                            a href="/my/registrations" class="link" { "my registrations" } "."
                        }
                    }
                }
                div class="card bg-base-200" {
                    div class="card-body" {
                        h2 class="card-title" { "Email address" }
                        p class="text-base-content/80" {
                            "We send a link to the new address; it changes when you open it."
                        }
                        form method="post" action="/account/email" novalidate {
                            (csrf_field(page.csrf))
                            (field(Field {
                                kind: "email",
                                value: view.new_email,
                                error: view.new_email_error,
                                autocomplete: "email",
                                required: true,
                                max_length: 254,
                                ..Field::new("New email address", "email")
                            }))
                            button type="submit" class="btn btn-primary mt-2" { "Send confirmation link" }
                        }
                    }
                }
                div class="card bg-base-200" {
                    div class="card-body" {
                        h2 class="card-title" { "Password" }
                        p class="text-base-content/80" {
                            @if view.has_password {
                                "You can sign in with your password or an email link. Set a new password here."
                            } @else {
                                "Optional: add a password to sign in without waiting for an email."
                            }
                        }
                        form method="post" action="/account/password" novalidate {
                            (csrf_field(page.csrf))
                            input type="hidden" name="username" value=(view.email) autocomplete="username";
                            (field(Field {
                                kind: "password",
                                error: view.password_error,
                                hint: Some("At least 10 characters; not a common password."),
                                autocomplete: "new-password",
                                required: true,
                                max_length: 200,
                                ..Field::new(if view.has_password { "New password" } else { "Password" }, "password")
                            }))
                            button type="submit" class="btn btn-primary mt-2" {
                                @if view.has_password { "Change password" } @else { "Set password" }
                            }
                        }
                    }
                }
                div class="card bg-base-200" {
                    div class="card-body" {
                        h2 class="card-title" { "Sessions" }
                        p class="text-base-content/80" {
                            "Signed in on a shared or lost device? Sign out everywhere, this device included."
                        }
                        form method="post" action="/account/logout-everywhere" {
                            (csrf_field(page.csrf))
                            button type="submit" class="btn btn-warning" { "Log out everywhere" }
                        }
                    }
                }
                div class="card border border-error" {
                    div class="card-body" {
                        h2 class="card-title" {
                            (icons::exclamation_triangle("size-5 shrink-0 text-error")) "Delete account"
                        }
                        p class="text-base-content/80" {
                            "This removes your name, email and password from Jamie and signs you out everywhere. It cannot be undone."
                        }
                        form method="post" action="/account/delete" novalidate {
                            (csrf_field(page.csrf))
                            (field(Field {
                                error: view.delete_error,
                                hint: Some("Type your email address to confirm."),
                                required: true,
                                max_length: 254,
                                ..Field::new("Your email address", "confirm")
                            }))
                            button type="submit" class="btn btn-error mt-2" { "Delete my account" }
                        }
                    }
                }
            }
        },
    )
}
