//! The public home page: what Jamie is, for organizers and for participants, and the way in.

use maud::{Markup, html};

use crate::{Page, components::feature, icons, layout::layout};

pub fn home(page: &Page<'_>) -> Markup {
    layout(
        page,
        html! {
            section class="hero py-6 sm:py-12" aria-labelledby="home-title" {
                div class="hero-content flex-col text-center max-w-2xl" {
                    h1 id="home-title" class="text-4xl sm:text-5xl font-bold tracking-tight" {
                        "Run your acroyoga jam, not a spreadsheet."
                    }
                    p class="text-lg text-base-content/80" {
                        "Jamie keeps the sign-up list for your recurring jams: bases and flyers each get their own capacity, "
                        "a full role fills a fair waitlist, and a freed spot goes to the next person in line on its own."
                    }
                    div class="flex flex-col sm:flex-row gap-3 justify-center" {
                        a href="/login" class="btn btn-primary" {
                            (icons::arrow_right_end_on_rectangle("size-5"))
                            "Log in or sign up"
                        }
                        a href="#how-it-works" class="btn btn-ghost" { "How it works" }
                    }
                    p class="text-sm text-base-content/70" {
                        "No password needed: we email you a sign-in link."
                    }
                    div class="card bg-base-200 w-full mt-4" {
                        div class="card-body items-center gap-2" {
                            p class="font-semibold" { "Here to join a jam? You don't need an account." }
                            a href="/series" class="btn btn-neutral" {
                                (icons::magnifying_glass("size-5"))
                                "Find a jam"
                            }
                            p class="text-sm text-base-content/70" {
                                "Got a link from your organizer? Open it to register."
                            }
                        }
                    }
                }
            }
            section id="how-it-works" aria-labelledby="organizers-title" class="py-6" {
                h2 id="organizers-title" class="text-2xl font-bold mb-4" { "For organizers" }
                div class="grid gap-4 sm:grid-cols-3" {
                    (feature(icons::calendar_days("size-7"), "Series and sessions",
                        "Publish a weekly jam once and schedule eight sessions in one go. Change the place, price or capacity of a single evening when you need to."))
                    (feature(icons::user_group("size-7"), "Bases and flyers",
                        "Set how many bases and how many flyers fit. Jamie never confirms more than that, however many people sign up at the same moment."))
                    (feature(icons::users("size-7"), "Co-organizers",
                        "Invite the friends who run the jam with you. They manage sessions and registrations; the series stays yours."))
                }
            }
            section aria-labelledby="participants-title" class="py-6" {
                h2 id="participants-title" class="text-2xl font-bold mb-4" { "For participants" }
                div class="grid gap-4 sm:grid-cols-3" {
                    (feature(icons::ticket("size-7"), "Register in a minute",
                        "Open the link your organizer shared, or find a public jam, give your name and email, choose base, flyer or either. No account needed."))
                    (feature(icons::clock("size-7"), "A fair waitlist",
                        "When your role is full you get a place in line. If someone cancels, the first in line who fits is confirmed at once."))
                    (feature(icons::link("size-7"), "Your own page and a cancel link",
                        "After registering you get a private page that shows where you stand, confirmed or your place in line, with a link to cancel if you can't come."))
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
    fn the_home_page_says_what_jamie_is_and_links_to_login() {
        let html = home(&Page::new("Acroyoga jams, organized", "/", Theme::System)).into_string();
        assert!(html.contains("Run your acroyoga jam"));
        assert!(html.contains(r#"href="/login""#));
        assert!(html.contains(r#"href="/series""#) && html.contains("Find a jam"));
        assert!(!html.contains("Telegram") && !html.to_lowercase().contains("reminder"));
        assert!(html.contains("For organizers") && html.contains("For participants"));
        assert!(!html.to_lowercase().contains("lorem"));
    }
}
