//! Step 1: the preparation pane, the direction and evidence goals are set from.

use super::{derive, Editor, SheetMemo};
use crate::components::TextField;
use domain::{Edit, PrepField};
use leptos::prelude::*;

fn label(field: PrepField) -> (&'static str, &'static str) {
    match field {
        PrepField::Strategy => ("Company strategy", "e.g. user retention +8% this year"),
        PrepField::DeptTasks => (
            "The department's key tasks",
            "e.g. launch the new product in Q3; sales +15%",
        ),
        PrepField::Duties => (
            "The employee's duties",
            "the role's job description, in short",
        ),
        PrepField::LastResults => (
            "Last cycle's results",
            "e.g. customer satisfaction needs to improve",
        ),
        PrepField::Wishes => (
            "The employee's development wishes",
            "e.g. wants to grow project-management skills",
        ),
    }
}

#[component]
pub(super) fn PrepTab(editor: Editor, sheet: SheetMemo) -> impl IntoView {
    view! {
        <div class="card prep" data-testid="prep">
            <p class="lede">
                "Gather the direction before setting goals: either of you can fill this in, and \
                 it stays on the sheet for the one-to-one."
            </p>
            {PrepField::ALL
                .into_iter()
                .map(|field| {
                    let (text, placeholder) = label(field);
                    let value = derive(sheet, move |s| s.prep.text(field).to_owned());
                    view! {
                        <label>
                            {text}
                            <TextField
                                value
                                on_input=move |value| editor.apply(Edit::Prep { field, value })
                                multiline=true
                                attr:data-field=field.key()
                                attr:placeholder=placeholder
                            />
                        </label>
                    }
                })
                .collect_view()}
        </div>
    }
}
