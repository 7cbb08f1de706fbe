//! The account page: the name participants see, the address, the password, and signing out
//! everywhere; the sensitive forms ask for the current password or a fresh sign-in link.

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

/// The account page's forms that need a recent sign-in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Sensitive {
    Email,
    Password,
    Delete,
}

impl Sensitive {
    /// The form's card (its anchor, which a sign-in link returns to).
    fn anchor(self) -> &'static str {
        match self {
            Self::Email => "email",
            Self::Password => "password",
            Self::Delete => "delete",
        }
    }
}

/// The id of the one form that emails a sign-in link back to one of the sensitive forms (its
/// buttons sit in those forms and name it, since forms cannot nest).
const SIGN_IN_LINK_FORM: &str = "sign-in-link";

/// What a sensitive form needs before its button: nothing after a fresh sign-in link; else the
/// current password (with the way out for those who forgot it) or, without a password, a
/// fresh sign-in link.
fn proof_of_recency(view: &AccountView<'_>, form: Sensitive) -> Markup {
    let error = view
        .reauth_error
        .and_then(|(failed, message)| (failed == form).then_some(message));
    let back = format!("/account#{}", form.anchor());
    let link_button = html! {
        button type="submit" form=(SIGN_IN_LINK_FORM) name="next" value=(back) class="btn btn-link btn-sm px-0" {
            "Email me a sign-in link"
        }
    };
    let id = format!("current-password-{}", form.anchor());
    html! {
        @if view.recent_sign_in {
        } @else if view.has_password {
            (field(Field {
                kind: "password",
                error,
                id: Some(&id),
                autocomplete: "current-password",
                required: true,
                max_length: 200,
                ..Field::new("Current password", "current_password")
            }))
            p class="text-sm text-base-content/80" { "Forgot it? " (link_button) }
        } @else {
            div class="flex flex-col items-start gap-1" {
                @if let Some(error) = error {
                    (alert(Tone::Error, error))
                } @else {
                    p class="text-sm text-base-content/80" {
                        "For your safety, this needs a sign-in from the last 10 minutes."
                    }
                }
                (link_button)
            }
        }
    }
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
    /// Signed in with an email link in the last 10 minutes: no proof needed.
    pub recent_sign_in: bool,
    /// Which sensitive form lacked the proof of a recent sign-in, and what to do.
    pub reauth_error: Option<(Sensitive, &'a str)>,
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
                div id="email" class="card bg-base-200" {
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
                            (proof_of_recency(view, Sensitive::Email))
                            button type="submit" class="btn btn-primary mt-2" { "Send confirmation link" }
                        }
                    }
                }
                div id="password" class="card bg-base-200" {
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
                            (proof_of_recency(view, Sensitive::Password))
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
                div id="delete" class="card border border-error" {
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
                            (proof_of_recency(view, Sensitive::Delete))
                            button type="submit" class="btn btn-error mt-2" { "Delete my account" }
                        }
                    }
                }
                @if !view.recent_sign_in {
                    form id=(SIGN_IN_LINK_FORM) method="post" action="/login" hidden {
                        (csrf_field(page.csrf))
                        input type="hidden" name="email" value=(view.email);
                    }
                }
            }
        },
    )
}
