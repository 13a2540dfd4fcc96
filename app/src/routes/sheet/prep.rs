//! Step 1: the preparation pane, the direction and evidence goals are set from.

use super::{derive, Editor, SheetMemo};
use crate::components::LabeledText;
use crate::i18n::t;
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
                {t("Gather the direction before setting goals: either of you can fill this in, and \
                    it stays on the sheet for the one-to-one.")}
            </p>
            {PrepField::ALL
                .into_iter()
                .map(|field| {
                    let (text, placeholder) = label(field);
                    let value = derive(sheet, move |s| s.prep.text(field).to_owned());
                    view! {
                        <LabeledText
                            label=text
                            placeholder
                            field=field.key()
                            value
                            on_input=move |value| editor.apply(Edit::Prep { field, value })
                        />
                    }
                })
                .collect_view()}
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::{set_current, t, Lang};

    #[test]
    fn every_label_and_example_has_its_chinese() {
        set_current(Lang::ZhCn);
        for field in PrepField::ALL {
            let (label, placeholder) = label(field);
            assert_ne!(t(label), label);
            assert_ne!(t(placeholder), placeholder);
        }
        set_current(Lang::En);
    }
}
