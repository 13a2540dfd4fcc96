//! One goal sheet: its header and the goal-setting table of Template 1, edited in place.

use crate::components::{same_number, TextField};
use crate::repo::{self, DocView, NetStatus, SheetHandle};
use chrono::NaiveDate;
use domain::rules::WeightTotal;
use domain::{Cycle, CycleKind, Edit, Goal, GoalField, GoalType, RowId, Sheet, SheetField};
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;
use repo_sync::DocumentId;

#[component]
pub fn SheetPage() -> impl IntoView {
    let params = use_params_map();
    let id =
        Memo::new(move |_| params.with(|p| p.get("id").and_then(|s| s.parse::<DocumentId>().ok())));
    let raw_id = move || params.with(|p| p.get("id").unwrap_or_default());
    let handle = RwSignal::new(None::<SheetHandle>);
    // Open in the browser only, after hydration: the server has no copy of the sheet.
    Effect::new(move |_| {
        if let Some(id) = id.get() {
            handle.set(Some(repo::open(id)));
        }
    });
    view! {
        <section class="sheet-page">
            {move || match (id.get(), handle.get()) {
                (None, _) => view! {
                    <p class="banner error" role="alert" data-testid="bad-link">
                        {format!("“{}” is not a sheet link.", raw_id())}
                    </p>
                }
                .into_any(),
                (Some(_), None) => view! { <p class="empty">"Opening the sheet…"</p> }.into_any(),
                (Some(_), Some(h)) => view! { <LoadedSheet handle=h /> }.into_any(),
            }}
        </section>
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Phase {
    Loading,
    Fetching,
    Unavailable,
    Ready,
    Broken,
}

#[component]
fn LoadedSheet(handle: SheetHandle) -> impl IntoView {
    let view_sig = handle.view.clone();
    let phase = Memo::new(move |_| match &*view_sig.read() {
        DocView::Loading => Phase::Loading,
        DocView::Fetching => Phase::Fetching,
        DocView::Unavailable => Phase::Unavailable,
        DocView::Ready(_) => Phase::Ready,
        DocView::Broken(_) => Phase::Broken,
    });
    let view_sig = handle.view.clone();
    let sheet = Memo::new(move |_| match &*view_sig.read() {
        DocView::Ready(s) => Some(s.clone()),
        _ => None,
    });
    let view_sig = handle.view.clone();
    let broken = move || match &*view_sig.read() {
        DocView::Broken(reason) => reason.clone(),
        _ => String::new(),
    };
    let id = handle.id;
    let synced = handle.synced.clone();
    move || match phase.get() {
        Phase::Loading => view! { <p class="empty">"Reading the sheet…"</p> }.into_any(),
        Phase::Fetching => view! {
            <p class="empty" data-testid="fetching">
                "This sheet is not on this device yet: fetching it from the relay…"
            </p>
        }
        .into_any(),
        Phase::Unavailable => view! {
            <p class="banner error" role="alert" data-testid="unavailable">
                "Neither this device nor the relay has this sheet. Ask for the link again, or \
                 ask its owner to open it while online so that it reaches the relay."
            </p>
        }
        .into_any(),
        Phase::Broken => view! {
            <p class="banner error" role="alert" data-testid="broken">
                {format!("This sheet cannot be shown: {}", broken())}
            </p>
        }
        .into_any(),
        Phase::Ready => view! { <SheetEditor id sheet synced=synced.clone() /> }.into_any(),
    }
}

fn date_value(d: Option<NaiveDate>) -> String {
    d.map(domain::date::format_iso).unwrap_or_default()
}

fn parse_date(s: &str) -> Option<NaiveDate> {
    domain::date::parse_iso(s)
}

#[component]
fn SheetEditor(
    id: DocumentId,
    sheet: Memo<Option<Sheet>>,
    synced: ArcRwSignal<bool>,
) -> impl IntoView {
    let error = RwSignal::new(None::<String>);
    let apply = move |edit: Edit| match repo::edit(id, edit) {
        Ok(()) => error.set(None),
        Err(e) => error.set(Some(e)),
    };
    let header = move |field: SheetField| {
        Memo::new(move |_| {
            sheet.with(|s| {
                s.as_ref()
                    .map(|s| s.header(field).to_owned())
                    .unwrap_or_default()
            })
        })
    };
    let title = header(SheetField::Title);
    let employee = header(SheetField::Employee);
    let manager = header(SheetField::Manager);
    let cycle = Memo::new(move |_| sheet.with(|s| s.as_ref().map(|s| s.cycle)));
    let set_cycle = move |f: &dyn Fn(&mut Cycle)| {
        if let Some(mut c) = cycle.get_untracked() {
            f(&mut c);
            apply(Edit::Cycle(c));
        }
    };
    let rows = Memo::new(move |_| {
        sheet.with(|s| {
            s.as_ref()
                .map(|s| s.goals.iter().map(|g| g.id.clone()).collect::<Vec<_>>())
                .unwrap_or_default()
        })
    });
    let total = Memo::new(move |_| sheet.with(|s| s.as_ref().map(WeightTotal::of)));
    let status = repo::net_status();
    let sync_label = {
        let synced = synced.clone();
        move || match (status.get(), synced.get()) {
            (NetStatus::Online, true) => "Saved on this device · synced",
            (NetStatus::Online, false) => "Saved on this device · syncing…",
            _ => "Saved on this device · offline",
        }
    };
    let link = RwSignal::new(String::new());
    Effect::new(move |_| {
        if let Some(href) = web_href() {
            link.set(href);
        }
    });
    let copied = RwSignal::new(false);
    let copy = move |_| {
        copy_to_clipboard(&link.get_untracked());
        copied.set(true);
    };
    let add_goal = move |_| {
        let row = RowId::from_random(repo::random_u64());
        apply(Edit::AddGoal(Goal::blank(row.clone())));
        focus_later(format!("goal-name-{row}"));
    };

    view! {
        <div class="sheet-head">
            <TextField
                value=title
                on_input=move |value| apply(Edit::Header { field: SheetField::Title, value })
                attr:class="sheet-title-input"
                attr:aria-label="Sheet title"
                attr:data-testid="sheet-title"
            />
            <span class="doc-status" data-testid="doc-status">{sync_label}</span>
        </div>
        <div class="card sheet-meta">
            <label>
                "Employee"
                <TextField
                    value=employee
                    on_input=move |value| apply(Edit::Header { field: SheetField::Employee, value })
                    attr:data-testid="sheet-employee"
                />
            </label>
            <label>
                "Manager"
                <TextField
                    value=manager
                    on_input=move |value| apply(Edit::Header { field: SheetField::Manager, value })
                    attr:data-testid="sheet-manager"
                />
            </label>
            <label>
                "Cycle"
                <select
                    data-testid="cycle-kind"
                    prop:value=move || cycle.get().map(|c| c.kind.as_str()).unwrap_or_default()
                    on:change=move |ev| {
                        let k = CycleKind::parse(&event_target_value(&ev)).unwrap_or_default();
                        set_cycle(&|c| c.kind = k);
                    }
                >
                    {CycleKind::ALL.into_iter().map(|k| view! { <option value=k.as_str()>{k.label()}</option> }).collect_view()}
                </select>
            </label>
            <label>
                "Starts"
                <input
                    type="date"
                    data-testid="cycle-start"
                    prop:value=move || date_value(cycle.get().map(|c| c.start))
                    on:change=move |ev| {
                        if let Some(d) = parse_date(&event_target_value(&ev)) {
                            set_cycle(&|c| c.start = d);
                        }
                    }
                />
            </label>
            <label>
                "Ends"
                <input
                    type="date"
                    data-testid="cycle-end"
                    prop:value=move || date_value(cycle.get().map(|c| c.end))
                    on:change=move |ev| {
                        if let Some(d) = parse_date(&event_target_value(&ev)) {
                            set_cycle(&|c| c.end = d);
                        }
                    }
                />
            </label>
            <Show when={move || cycle.get().is_some_and(|c| c.end < c.start)}>
                <p class="hint bad">"The cycle ends before it starts."</p>
            </Show>
            <div class="share">
                <label>
                    "Link to share"
                    <input readonly data-testid="share-link" prop:value=move || link.get() />
                </label>
                <button type="button" on:click=copy>
                    {move || if copied.get() { "Copied" } else { "Copy link" }}
                </button>
            </div>
        </div>
        <Show when=move || error.read().is_some()>
            <p class="banner error" role="alert">{move || error.get().unwrap_or_default()}</p>
        </Show>
        <h2>"Goals"</h2>
        <table class="goals" data-testid="goals">
            <thead>
                <tr>
                    <th scope="col">"#"</th>
                    <th scope="col">"Goal type"</th>
                    <th scope="col">"Goal"</th>
                    <th scope="col">"Measure (key results)"</th>
                    <th scope="col">"Weight %"</th>
                    <th scope="col">"Deadline"</th>
                    <th scope="col">"Owner"</th>
                    <th scope="col">"Support needed"</th>
                    <th scope="col"><span class="sr-only">"Actions"</span></th>
                </tr>
            </thead>
            <tbody>
                <For each=move || rows.get() key=|row| row.clone() let:row>
                    <GoalRow
                        index={
                            let row = row.clone();
                            Signal::derive(move || rows.read().iter().position(|r| *r == row).unwrap_or(0))
                        }
                        row
                        sheet
                        apply
                        count=Signal::derive(move || rows.read().len())
                    />
                </For>
            </tbody>
            <tfoot>
                <tr class="total-row">
                    <th scope="row" colspan="4">"Total weight"</th>
                    <td
                        data-testid="weight-total"
                        class:bad=move || total.get().is_some_and(|t| !t.is_complete())
                        class:ok=move || total.get().is_some_and(|t| t.is_complete())
                    >
                        {move || total.get().map(|t| format!("{}%", t.total)).unwrap_or_default()}
                    </td>
                    <td colspan="4" class="hint" data-testid="weight-hint">
                        {move || total.get().and_then(|t| t.hint()).unwrap_or_default()}
                    </td>
                </tr>
            </tfoot>
        </table>
        <Show when=move || rows.read().is_empty()>
            <p class="empty">"No goals yet. Add the first one: the weights of all goals total 100%."</p>
        </Show>
        <button type="button" class="primary add-goal" data-testid="add-goal" on:click=add_goal>
            "+ Add goal"
        </button>
    }
}

#[component]
fn GoalRow(
    index: Signal<usize>,
    row: RowId,
    sheet: Memo<Option<Sheet>>,
    apply: impl Fn(Edit) + Copy + Send + Sync + 'static,
    count: Signal<usize>,
) -> impl IntoView {
    let goal = {
        let row = row.clone();
        Memo::new(move |_| sheet.with(|s| s.as_ref().and_then(|s| s.goal(&row).cloned())))
    };
    let text = move |field: GoalField| {
        Signal::derive(move || {
            goal.with(|g| {
                g.as_ref()
                    .map(|g| g.text(field).to_owned())
                    .unwrap_or_default()
            })
        })
    };
    let on_text = {
        let row = row.clone();
        move |field: GoalField| {
            let row = row.clone();
            move |value: String| {
                apply(Edit::GoalText {
                    row: row.clone(),
                    field,
                    value,
                })
            }
        }
    };
    let r = row.clone();
    let on_type = move |ev: leptos::ev::Event| {
        if let Some(t) = GoalType::parse(&event_target_value(&ev)) {
            apply(Edit::GoalType {
                row: r.clone(),
                goal_type: t,
            });
        }
    };
    let r = row.clone();
    let on_weight = move |value: String| {
        // An emptied box counts as 0 (the box itself stays empty while focused); anything else
        // that is not a number is ignored.
        let value = value.trim();
        let weight = if value.is_empty() {
            Some(0)
        } else {
            value.parse::<u32>().ok()
        };
        if let Some(w) = weight {
            apply(Edit::GoalWeight {
                row: r.clone(),
                weight: w.min(100),
            });
        }
    };
    let weight = Signal::derive(move || {
        goal.with(|g| g.as_ref().map(|g| g.weight.to_string()).unwrap_or_default())
    });
    let r = row.clone();
    let on_deadline = move |ev: leptos::ev::Event| {
        let v = event_target_value(&ev);
        apply(Edit::GoalDeadline {
            row: r.clone(),
            deadline: parse_date(&v),
        });
    };
    let (r1, r2, r3) = (row.clone(), row.clone(), row.clone());
    let name_id = format!("goal-name-{row}");
    let n = move || index.get() + 1;
    view! {
        <tr class="goal-row" data-testid="goal-row" data-row=row.to_string()>
            <td class="num" data-label="#" data-testid="goal-num">{n}</td>
            <td data-label="Goal type">
                <select
                    aria-label=move || format!("Goal {} type", n())
                    data-field="type"
                    prop:value=move || goal.with(|g| g.as_ref().map(|g| g.goal_type.as_str()).unwrap_or_default())
                    on:change=on_type
                >
                    {GoalType::ALL.into_iter().map(|t| view! { <option value=t.as_str()>{t.label()}</option> }).collect_view()}
                </select>
            </td>
            <td data-label="Goal">
                <TextField
                    value=text(GoalField::Name)
                    on_input=on_text(GoalField::Name)
                    attr:id=name_id
                    attr:aria-label=move || format!("Goal {} name", n())
                    attr:data-field="name"
                    attr:placeholder="e.g. South China: new customers in Q3"
                />
            </td>
            <td data-label="Measure (key results)">
                <TextField
                    value=text(GoalField::Measure)
                    on_input=on_text(GoalField::Measure)
                    multiline=true
                    attr:aria-label=move || format!("Goal {} measure", n())
                    attr:data-field="measure"
                    attr:placeholder="e.g. 8 new valid customers, signing rate ≥ 70%"
                />
            </td>
            <td data-label="Weight %">
                <TextField
                    value=weight
                    on_input=on_weight
                    equivalent=same_number
                    attr:r#type="number"
                    attr:inputmode="numeric"
                    attr:min="0"
                    attr:max="100"
                    attr:step="1"
                    attr:aria-label=move || format!("Goal {} weight in percent", n())
                    attr:data-field="weight"
                />
            </td>
            <td data-label="Deadline">
                <input
                    type="date"
                    aria-label=move || format!("Goal {} deadline", n())
                    data-field="deadline"
                    prop:value=move || goal.with(|g| date_value(g.as_ref().and_then(|g| g.deadline)))
                    on:change=on_deadline
                />
            </td>
            <td data-label="Owner">
                <TextField
                    value=text(GoalField::Owner)
                    on_input=on_text(GoalField::Owner)
                    attr:aria-label=move || format!("Goal {} owner", n())
                    attr:data-field="owner"
                />
            </td>
            <td data-label="Support needed">
                <TextField
                    value=text(GoalField::Support)
                    on_input=on_text(GoalField::Support)
                    multiline=true
                    attr:aria-label=move || format!("Goal {} support needed", n())
                    attr:data-field="support"
                />
            </td>
            <td class="actions" data-label="">
                <button
                    type="button"
                    aria-label=move || format!("Move goal {} up", n())
                    title="Move up"
                    data-action="up"
                    disabled=move || index.get() == 0
                    on:click=move |_| apply(Edit::MoveGoal { row: r1.clone(), up: true })
                >
                    "↑"
                </button>
                <button
                    type="button"
                    aria-label=move || format!("Move goal {} down", n())
                    title="Move down"
                    data-action="down"
                    disabled={move || index.get() + 1 >= count.get()}
                    on:click=move |_| apply(Edit::MoveGoal { row: r2.clone(), up: false })
                >
                    "↓"
                </button>
                <button
                    type="button"
                    class="danger"
                    aria-label=move || format!("Remove goal {}", n())
                    title="Remove"
                    data-action="remove"
                    on:click=move |_| apply(Edit::RemoveGoal { row: r3.clone() })
                >
                    "✕"
                </button>
            </td>
        </tr>
    }
}

fn web_href() -> Option<String> {
    #[cfg(feature = "hydrate")]
    return web_sys::window().and_then(|w| w.location().href().ok());
    #[cfg(not(feature = "hydrate"))]
    None
}

fn copy_to_clipboard(text: &str) {
    #[cfg(feature = "hydrate")]
    if let Some(w) = web_sys::window() {
        let _ = w.navigator().clipboard().write_text(text);
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = text;
}

/// Focus an element once the next render has put it in the page.
fn focus_later(element_id: String) {
    #[cfg(feature = "hydrate")]
    request_animation_frame(move || {
        use wasm_bindgen::JsCast;
        if let Some(el) = web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.get_element_by_id(&element_id))
            .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
        {
            let _ = el.focus();
        }
    });
    #[cfg(not(feature = "hydrate"))]
    let _ = element_id;
}
