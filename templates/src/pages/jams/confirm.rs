//! The step before a destructive action (deleting a series, leaving it, removing someone):
//! what will happen, the real button and a way back.

use maud::{Markup, html};

use crate::{
    Page,
    layout::{csrf_field, layout},
};

/// The step before a destructive action: what will happen, the real button, and a way back.
#[derive(Clone, Debug, Default)]
pub struct ConfirmView<'a> {
    /// A question, e.g. "Remove Bo from Park Jam?".
    pub heading: &'a str,
    /// What the action does, in plain words.
    pub consequence: &'a str,
    pub action: &'a str,
    /// The real button, e.g. "Remove Bo".
    pub button: &'a str,
    pub back_href: &'a str,
    /// e.g. "Keep them".
    pub back_label: &'a str,
}

pub fn confirm_page(page: &Page<'_>, view: &ConfirmView<'_>) -> Markup {
    layout(
        page,
        html! {
            section class="max-w-xl mx-auto flex flex-col gap-4" aria-labelledby="confirm-title" {
                h1 id="confirm-title" class="text-3xl font-bold break-words" { (view.heading) }
                p class="text-lg" { (view.consequence) }
                form method="post" action=(view.action) class="flex flex-col-reverse sm:flex-row gap-3" {
                    (csrf_field(page.csrf))
                    a href=(view.back_href) class="btn" { (view.back_label) }
                    button type="submit" class="btn btn-error" { (view.button) }
                }
            }
        },
    )
}
