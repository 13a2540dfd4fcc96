//! Step 2's cascade, seen from a department sheet: each department goal with the employee goals
//! that serve it, their weights and a roll-up of their progress.

use super::SheetMemo;
use crate::i18n::{t, tf};
use crate::repo;
use domain::cascade::tree;
use leptos::prelude::*;
use repo_sync::DocumentId;

#[component]
pub(super) fn CascadeTab(sheet: SheetMemo, id: DocumentId) -> impl IntoView {
    let all = repo::all_sheets();
    // Fetch the members' sheets, so that the tree fills in on a device that has not opened them.
    Effect::new(move |_| {
        let members = sheet.with(|s| s.as_ref().map(|s| s.members.clone()).unwrap_or_default());
        for m in members {
            if let Ok(mid) = m.sheet.parse::<DocumentId>() {
                let _ = repo::open(mid);
            }
        }
    });
    let nodes = Memo::new(move |_| {
        let dept_id = id.to_string();
        sheet.with(|s| {
            s.as_ref()
                .map(|s| all.with(|all| tree(&dept_id, s, all)))
                .unwrap_or_default()
        })
    });
    view! {
        <div class="cascade" data-testid="cascade">
            <p class="lede">
                {t("Each department goal, with the employee goals that serve it. Employees link their \
                    goals on their own sheets (attach the sheet to this department, then choose the \
                    department goal a goal serves).")}
            </p>
            <Show when=move || nodes.read().is_empty()>
                <p class="empty">{t("No department goals yet: add them on the Goals tab.")}</p>
            </Show>
            <ul class="tree">
                {move || {
                    nodes
                        .get()
                        .into_iter()
                        .map(|n| {
                            let rollup = n.rollup;
                            view! {
                                <li class="node card" data-testid="cascade-node">
                                    <p class="node-head">
                                        <strong data-testid="node-name">{n.name.clone()}</strong>
                                        <span class="hint">{tf(" · weight {}%", &[&n.weight])}</span>
                                    </p>
                                    <div class="progress" aria-hidden="true">
                                        <div class="progress-fill" style=format!("width: {}%", rollup.unwrap_or(0.0).round())></div>
                                    </div>
                                    <p class="hint" data-testid="node-rollup">
                                        {match rollup {
                                            Some(r) => tf("Roll-up: {}% done (weighted by the employees' weights)", &[&format!("{r:.0}")]),
                                            None => t("No employee goal links here yet.").to_string(),
                                        }}
                                    </p>
                                    <ul class="branches">
                                        {n.branches.into_iter().map(|b| {
                                            let href = format!("/sheet/{}", b.sheet);
                                            view! {
                                                <li class="branch" data-testid="cascade-branch">
                                                    <a href=href>{b.employee.clone()}</a>
                                                    ": "
                                                    <span data-testid="branch-goal">{b.name.clone()}</span>
                                                    <span class="hint">{tf(" · weight {}% · {}% done", &[&b.weight, &b.progress])}</span>
                                                </li>
                                            }
                                        }).collect_view()}
                                    </ul>
                                </li>
                            }
                        })
                        .collect_view()
                }}
            </ul>
        </div>
    }
}
