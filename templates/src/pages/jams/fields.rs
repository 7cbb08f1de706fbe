//! Form parts the series form and the session forms share: number inputs, price and
//! capacity fields, and the date and time inputs.

use maud::{Markup, html};

use crate::components::{Field, FormState, field, select};

/// A number input taking value and error from the form.
pub(super) fn number(label: &str, name: &str, form: &FormState, range: (&str, &str)) -> Markup {
    field(Field {
        kind: "number",
        min: Some(range.0),
        max: Some(range.1),
        ..Field::from_state(label, name, form)
    })
}

/// Price fields: kind, amount and currency.
pub(super) fn cost_fields(form: &FormState, kinds: &[(&str, &str)]) -> Markup {
    html! {
        (select("Price", "cost_kind", kinds, form, None))
        div class="grid gap-x-4 sm:grid-cols-2" {
            (field(Field {
                kind: "number",
                min: Some("0"),
                step: Some("0.01"),
                hint: Some("Only for a set amount, e.g. 12.50."),
                ..Field::from_state("Amount", "cost_amount", form)
            }))
            (field(Field {
                hint: Some("Three letters, e.g. EUR."),
                max_length: 3,
                ..Field::from_state("Currency", "cost_currency", form)
            }))
        }
    }
}

/// Capacity per role, 0 to 500 each.
pub(super) fn capacity_fields(form: &FormState) -> Markup {
    html! {
        div class="grid grid-cols-2 gap-x-4" {
            (number("Bases", "capacity_base", form, ("0", "500")))
            (number("Flyers", "capacity_flyer", form, ("0", "500")))
        }
    }
}

/// A required date or time input (the server requires them in both session forms).
pub(super) fn required_input(
    label: &str,
    name: &str,
    kind: &str,
    form: &FormState,
    hint: Option<&str>,
) -> Markup {
    field(Field {
        kind,
        hint,
        required: true,
        ..Field::from_state(label, name, form)
    })
}

/// Start and end time side by side.
pub(super) fn time_fields(form: &FormState) -> Markup {
    html! {
        div class="grid grid-cols-2 gap-x-4" {
            (required_input("Starts", "start_time", "time", form, None))
            (required_input("Ends", "end_time", "time", form, None))
        }
    }
}
