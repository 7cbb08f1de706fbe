//! The superadmin's user list (search, paging, block and unblock with a reason), every series,
//! and the navigation between the admin pages.

use maud::{Markup, html};

use crate::{
    Page,
    components::{Tone, alert, percent_encode},
    icons,
    layout::{csrf_field, layout},
};

/// The links between the admin pages; `current` is the path of the page it is on.
pub fn admin_nav(current: &str) -> Markup {
    const PAGES: [(&str, &str); 3] = [
        ("/admin", "Users"),
        ("/admin/series", "All series"),
        ("/admin/deliveries", "Deliveries"),
    ];
    html! {
        nav aria-label="Administration" class="flex flex-wrap gap-1" {
            @for (href, label) in PAGES {
                @if href == current {
                    a href=(href) class="btn btn-sm btn-active" aria-current="page" { (label) }
                } @else {
                    a href=(href) class="btn btn-ghost btn-sm" { (label) }
                }
            }
        }
    }
}

/// One row of the list.
#[derive(Clone, Debug)]
pub struct UserRow<'a> {
    pub id: &'a str,
    pub email: &'a str,
    pub name: &'a str,
    pub created: String,
    pub last_login: Option<String>,
    pub series: u32,
    pub blocked_reason: Option<&'a str>,
    pub is_viewer: bool,
}

/// The whole page.
#[derive(Clone, Debug, Default)]
pub struct UsersView<'a> {
    pub search: &'a str,
    pub rows: Vec<UserRow<'a>>,
    /// The cursor of the next page, if there is one.
    pub next: Option<&'a str>,
    pub problem: Option<&'a str>,
}

pub fn users(page: &Page<'_>, view: &UsersView<'_>) -> Markup {
    layout(
        page,
        html! {
            section class="flex flex-col gap-4" aria-labelledby="admin-title" {
                div class="flex flex-wrap items-center justify-between gap-2" {
                    h1 id="admin-title" class="text-3xl font-bold" { "Users" }
                    (admin_nav("/admin"))
                }
                @if let Some(problem) = view.problem { (alert(Tone::Error, problem)) }
                form method="get" action="/admin" role="search" class="join w-full max-w-md" {
                    label for="search" class="sr-only" { "Search by email or name" }
                    input id="search" name="q" type="search" value=(view.search)
                        placeholder="Search by email or name" class="input join-item w-full";
                    button type="submit" class="btn join-item" {
                        (icons::magnifying_glass("size-5"))
                        span class="sr-only" { "Search" }
                    }
                }
                @if view.rows.is_empty() {
                    p class="text-base-content/70" { "No users match." }
                } @else {
                    div class="overflow-x-auto" {
                        table class="table" {
                            thead { tr { th { "User" } th { "Created" } th { "Last login" } th { "Series" } th { "Status" } } }
                            tbody {
                                @for row in &view.rows {
                                    tr {
                                        td {
                                            div class="font-semibold" { (row.name) }
                                            div class="text-sm text-base-content/70" { (row.email) }
                                        }
                                        td class="whitespace-nowrap" { (row.created) }
                                        td class="whitespace-nowrap" { (row.last_login.as_deref().unwrap_or("never")) }
                                        td { (row.series) }
                                        td { (status(page, row)) }
                                    }
                                }
                            }
                        }
                    }
                }
                @if let Some(next) = view.next {
                    a class="btn btn-ghost self-start" href={ "/admin?q=" (percent_encode(view.search)) "&after=" (percent_encode(next)) } {
                        "Next page" (icons::chevron_right("size-4"))
                    }
                }
            }
        },
    )
}

fn status(page: &Page<'_>, row: &UserRow<'_>) -> Markup {
    html! {
        @if let Some(reason) = row.blocked_reason {
            div class="flex flex-col gap-1 items-start" {
                span class="badge badge-error" { "Blocked" }
                span class="text-sm" { (reason) }
                form method="post" action={ "/admin/users/" (row.id) "/unblock" } {
                    (csrf_field(page.csrf))
                    button type="submit" class="btn btn-xs" { "Unblock" }
                }
            }
        } @else if row.is_viewer {
            span class="badge" { "You" }
        } @else {
            form method="post" action={ "/admin/users/" (row.id) "/block" } class="join" {
                (csrf_field(page.csrf))
                label for={ "reason-" (row.id) } class="sr-only" { "Reason for blocking " (row.email) }
                input id={ "reason-" (row.id) } name="reason" required maxlength="500"
                    placeholder="Reason" class="input input-xs join-item w-32";
                button type="submit" class="btn btn-xs btn-error join-item" { "Block" }
            }
        }
    }
}

/// One series in the superadmin's overview.
#[derive(Clone, Debug, Default)]
pub struct SeriesRow {
    pub href: String,
    pub name: String,
    pub owner: String,
    pub created: String,
    pub archived: bool,
    pub unlisted: bool,
}

/// Every series, newest first.
#[derive(Clone, Debug, Default)]
pub struct SeriesListView<'a> {
    pub rows: Vec<SeriesRow>,
    pub next: Option<&'a str>,
}

pub fn series_list(page: &Page<'_>, view: &SeriesListView<'_>) -> Markup {
    layout(
        page,
        html! {
            section class="flex flex-col gap-4" aria-labelledby="series-title" {
                div class="flex flex-wrap items-center justify-between gap-2" {
                    h1 id="series-title" class="text-3xl font-bold" { "All series" }
                    (admin_nav("/admin/series"))
                }
                @if view.rows.is_empty() {
                    p class="text-base-content/70" { "No series yet." }
                } @else {
                    div class="overflow-x-auto" {
                        table class="table" {
                            thead { tr { th { "Series" } th { "Owner" } th { "Created" } th { "Status" } } }
                            tbody {
                                @for row in &view.rows {
                                    tr {
                                        td { a class="link font-semibold" href=(row.href) { (row.name) } }
                                        td { (row.owner) }
                                        td class="whitespace-nowrap" { (row.created) }
                                        td class="flex gap-1" {
                                            @if row.archived { span class="badge" { "Archived" } }
                                            @if row.unlisted { span class="badge badge-outline" { "Unlisted" } }
                                            @if !row.archived && !row.unlisted { span class="badge badge-success" { "Public" } }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
                @if let Some(next) = view.next {
                    a class="btn btn-ghost self-start" href={ "/admin/series?after=" (percent_encode(next)) } {
                        "Next page" (icons::chevron_right("size-4"))
                    }
                }
            }
        },
    )
}
