//! The form that schedules one or more sessions of a series (dates, times, capacity), naming
//! the series' time zone.

use maud::{Markup, html};

use super::back_link;
use super::fields::{capacity_fields, required_input, time_fields};
use crate::{
    Page,
    components::{Field, FormState, Tone, alert, field, select, textarea},
    layout::{csrf_field, layout},
};

/// The form that schedules one or more sessions of a series.
#[derive(Clone, Debug)]
pub struct ScheduleFormView<'a> {
    pub series_name: &'a str,
    pub series_href: &'a str,
    pub action: &'a str,
    pub time_zone: &'a str,
    pub form: &'a FormState,
    pub problem: Option<&'a str>,
}

pub fn schedule_form(page: &Page<'_>, view: &ScheduleFormView<'_>) -> Markup {
    let form = view.form;
    layout(
        page,
        html! {
            section class="max-w-xl mx-auto flex flex-col gap-4" aria-labelledby="schedule-title" {
                (back_link(view.series_href, view.series_name))
                h1 id="schedule-title" class="text-3xl font-bold" { "Schedule sessions" }
                p class="text-base-content/80" {
                    "Times are in " strong { (view.time_zone) } "."
                }
                @if let Some(problem) = view.problem { (alert(Tone::Error, problem)) }
                form method="post" action=(view.action) class="card bg-base-200" novalidate {
                    div class="card-body gap-1" {
                        (csrf_field(page.csrf))
                        (required_input("Date", "date", "date", form, Some("The first session.")))
                        (time_fields(form))
                        div class="grid gap-x-4 sm:grid-cols-2" {
                            (select("Repeat", "repeat", &[
                                ("once", "Just this date"),
                                ("weekly", "Every week"),
                                ("biweekly", "Every other week"),
                            ], form, None))
                            (field(Field {
                                kind: "number", min: Some("1"), max: Some("52"),
                                hint: Some("How many sessions, up to 52. Dates that already have a session are skipped."),
                                ..Field::from_state("Sessions", "count", form)
                            }))
                        }
                        (capacity_fields(form))
                        (textarea("Note", "note", form,
                            Some("Shown with each of these sessions, e.g. \"Indoors if it rains\"."), 500))
                        div class="card-actions justify-end mt-2" {
                            a href=(view.series_href) class="btn btn-ghost" { "Cancel" }
                            button type="submit" class="btn btn-primary" { "Schedule" }
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
    use crate::pages::jams::testing::*;
    use crate::test_support::state;

    #[test]
    fn the_schedule_form_names_the_time_zone_and_keeps_values() {
        let form = state(
            &[
                ("date", "2026-12-01"),
                ("repeat", "biweekly"),
                ("count", "60"),
            ],
            &[("count", "At most 52 sessions at once.")],
        );
        let html = schedule_form(
            &page(),
            &ScheduleFormView {
                series_name: "Park <jam>",
                series_href: "/jams/s1",
                action: "/jams/s1/sessions",
                time_zone: "Europe/Berlin",
                form: &form,
                problem: None,
            },
        )
        .into_string();
        assert_eq!(
            assert_post_forms_have_csrf(&html, None).last().unwrap(),
            "/jams/s1/sessions"
        );
        assert!(html.contains("Europe/Berlin") && html.contains("Park &lt;jam&gt;"));
        assert!(html.contains(r#"value="2026-12-01""#));
        assert!(html.contains(r#"<option value="biweekly" selected>Every other week</option>"#));
        assert!(html.contains("Just this date") && html.contains("Every week"));
        assert!(html.contains(r#"min="1" max="52""#));
        assert_error_beside(&html, "count", "At most 52 sessions at once.");
        for name in ["date", "start_time", "end_time"] {
            assert!(required(&html, name), "{name} not required");
        }
        for name in ["count", "capacity_base", "capacity_flyer"] {
            assert!(!required(&html, name), "{name} marked required");
        }
        for name in [
            "start_time",
            "end_time",
            "capacity_base",
            "capacity_flyer",
            "note",
        ] {
            assert!(
                html.contains(&format!(r#"name="{name}""#)),
                "{name} missing"
            );
        }
    }
}
