//! A department's knowledge base of good practice: search it, add to it.

use crate::components::{on_demand, NotLoaded};
use crate::i18n::{self, t, tf};
use crate::repo::{self, DocView};
use domain::kb::Practice;
use domain::RowId;
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;
use repo_sync::DocumentId;

#[component]
pub fn KbPage() -> impl IntoView {
    let params = use_params_map();
    let id =
        Memo::new(move |_| params.with(|p| p.get("id").and_then(|s| s.parse::<DocumentId>().ok())));
    let handle = RwSignal::new(None::<repo::KbHandle>);
    // As on the sheet page: the service worker's shell must hydrate whatever the link is, so
    // the link is judged only once the page runs.
    let live = RwSignal::new(false);
    Effect::new(move |_| {
        live.set(true);
        if let Some(id) = id.get() {
            handle.set(Some(repo::open_kb(id)));
        }
    });
    view! {
        <section class="kb-page">
            {move || match (id.get(), handle.get()) {
                _ if !live.get() => view! { <p class="empty">{t("Opening…")}</p> }.into_any(),
                (None, _) => view! { <p class="banner error" role="alert">{t("This is not a knowledge base link.")}</p> }.into_any(),
                (Some(_), None) => view! { <p class="empty">{t("Opening…")}</p> }.into_any(),
                (Some(id), Some(h)) => on_demand(knowledge_base(id, h)).into_any(),
            }}
        </section>
    }
}

// The knowledge base is in the wasm chunk of the views loaded on demand
// (see `components::on_demand`).
#[leptos::wasm_split::wasm_split(on_demand, wasm_split_path = ::leptos::wasm_split, fallible)]
fn knowledge_base(id: DocumentId, handle: repo::KbHandle) -> Result<AnyView, NotLoaded> {
    Ok(view! { <KnowledgeBaseView id handle /> }.into_any())
}

#[component]
fn KnowledgeBaseView(id: DocumentId, handle: repo::KbHandle) -> impl IntoView {
    let kb = handle.kb.clone();
    let view_sig = handle.view.clone();
    let query = RwSignal::new(String::new());
    let results = {
        let kb = kb.clone();
        Memo::new(move |_| {
            let q = query.get();
            kb.with(|k| {
                k.as_ref()
                    .map(|k| k.search(&q).into_iter().cloned().collect::<Vec<Practice>>())
                    .unwrap_or_default()
            })
        })
    };
    let name = {
        let kb = kb.clone();
        move || kb.with(|k| k.as_ref().map(|k| k.name.clone()).unwrap_or_default())
    };
    let state = move || match &*view_sig.read() {
        DocView::Fetching => Some(t("Fetching the knowledge base from the relay…")),
        DocView::Unavailable => Some(t(
            "Neither this device nor the relay has this knowledge base.",
        )),
        DocView::Ready(_) | DocView::Broken(_) => Some(t("This link is not a knowledge base.")),
        _ => None,
    };
    let text = RwSignal::new(String::new());
    let tags = RwSignal::new(String::new());
    let problem = RwSignal::new(None::<String>);
    // Practices are added once the engine is there.
    let ready = repo::ready();
    let add = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if text.get_untracked().trim().is_empty() {
            problem.set(Some(t("Describe the practice first.").into()));
            return;
        }
        let author = repo::identity()
            .get_untracked()
            .map(|i| i.name)
            .unwrap_or_default();
        let added = repo::add_practice(
            id,
            Practice {
                id: RowId::from_random(repo::random_u64()),
                text: text.get_untracked().trim().to_owned(),
                tags: tags.get_untracked().trim().to_owned(),
                source: String::new(),
                sheet: String::new(),
                author,
                at: repo::now_rfc3339(),
            },
        );
        // What was typed is cleared only once it is kept.
        match added {
            Ok(()) => {
                problem.set(None);
                text.set(String::new());
                tags.set(String::new());
            }
            Err(e) => problem.set(Some(tf("Not added: {}", &[&i18n::tr(&e)]))),
        }
    };
    view! {
        <h1 data-testid="kb-name">{name}</h1>
        {move || state().map(|s| view! { <p class="empty">{s}</p> })}
        <label class="search">
            {t("Search")}
            <input type="search" data-testid="kb-search" placeholder=t("words, tags, sheet…") prop:value=move || query.get() on:input=move |ev| query.set(event_target_value(&ev)) />
        </label>
        <ul class="practices" data-testid="practices">
            {move || results.get().into_iter().map(|p| view! {
                <li class="card practice" data-testid="practice">
                    <p class="practice-text">{p.text.clone()}</p>
                    <p class="hint">
                        {[p.tags.clone(), p.source.clone(), p.author.clone(), p.at.get(..10).and_then(domain::date::parse_iso).map(i18n::date).unwrap_or_default()]
                            .into_iter().filter(|s| !s.is_empty()).collect::<Vec<_>>().join(" · ")}
                    </p>
                    {(!p.sheet.is_empty()).then(|| view! { <a href=format!("/sheet/{}", p.sheet)>{t("From this sheet")}</a> })}
                </li>
            }).collect_view()}
        </ul>
        <form class="card" on:submit=add>
            <h2>{t("Add a practice")}</h2>
            <label>{t("Practice")} <textarea rows="2" data-field="practice" prop:value=move || text.get() on:input=move |ev| text.set(event_target_value(&ev))></textarea></label>
            <label>{t("Tags")} <input data-field="tags" prop:value=move || tags.get() on:input=move |ev| tags.set(event_target_value(&ev)) /></label>
            <Show when=move || problem.read().is_some()>
                <p class="errors" role="alert" data-testid="kb-problem">{move || problem.get().unwrap_or_default()}</p>
            </Show>
            <button type="submit" disabled=move || !ready.get()>{t("Add")}</button>
        </form>
    }
}
