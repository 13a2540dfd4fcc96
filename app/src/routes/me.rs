//! "Me": this device's identity: the name and key used to join sheets and sign them, and
//! carrying it to another device (an export code, as text or a file).

use crate::components::{on_demand, NotLoaded};
use crate::i18n::{self, t, tf};
use crate::repo;
use leptos::prelude::*;

#[component]
pub fn MePage() -> impl IntoView {
    // The identity is shown and made in the browser only (the server has none to show), by
    // views in the chunk loaded on demand: this page is rarely visited, its code (key
    // generation, export and import) stays out of the first download.
    let live = RwSignal::new(false);
    Effect::new(move |_| live.set(true));
    view! {
        <section class="me">
            <h1>{t("Me")}</h1>
            <p class="lede">
                {t("Your identity on this device: the name others see, and a key that signs goal \
                    sheets as you. It never leaves this device unless you export it.")}
            </p>
            {move || {
                if live.get() {
                    on_demand(identity_forms()).into_any()
                } else {
                    view! { <p class="empty">{t("Opening…")}</p> }.into_any()
                }
            }}
        </section>
    }
}

#[leptos::wasm_split::wasm_split(on_demand, wasm_split_path = ::leptos::wasm_split, fallible)]
fn identity_forms() -> Result<AnyView, NotLoaded> {
    Ok(view! { <IdentityForms /> }.into_any())
}

/// This device's identity, or the form to make one; importing one from another device.
#[component]
fn IdentityForms() -> impl IntoView {
    let identity = repo::identity();
    view! {
        {move || match identity.get() {
            None => view! { <CreateIdentity /> }.into_any(),
            Some(info) => view! {
                <div class="card identity" data-testid="identity">
                    <p><strong data-testid="identity-name">{info.name.clone()}</strong></p>
                    <p class="hint">{t("Key")}" " <code data-testid="identity-fingerprint">{info.fingerprint.clone()}</code></p>
                    <ExportIdentity />
                </div>
            }
            .into_any(),
        }}
        <ImportIdentity />
    }
}

/// Make an identity: a name, and a fresh key pair made in this browser.
#[component]
pub fn CreateIdentity() -> impl IntoView {
    let name = RwSignal::new(String::new());
    let error = RwSignal::new(None::<String>);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        match repo::create_identity(&name.get_untracked()) {
            Ok(()) => error.set(None),
            Err(e) => error.set(Some(i18n::tr(&e))),
        }
    };
    view! {
        <form class="card create-identity" on:submit=submit data-testid="create-identity">
            <label>
                {t("Your name")}
                <input
                    name="identity-name"
                    required
                    placeholder=t("as colleagues know you")
                    prop:value=move || name.get()
                    on:input=move |ev| name.set(event_target_value(&ev))
                />
            </label>
            <Show when=move || error.read().is_some()>
                <p class="errors" role="alert">{move || error.get().unwrap_or_default()}</p>
            </Show>
            <button type="submit" class="primary">{t("Create my identity")}</button>
        </form>
    }
}

#[component]
fn ExportIdentity() -> impl IntoView {
    let shown = RwSignal::new(None::<String>);
    let show = move |_| shown.set(repo::export_identity());
    let download = move |_| {
        if let Some(code) = repo::export_identity() {
            crate::components::download("goal-sheets-identity.txt", "text/plain", &code);
        }
    };
    view! {
        <div class="export">
            <p class="hint">
                {t("To sign from another device (your phone, say), export this identity there. \
                    Keep the code private: whoever has it can sign as you.")}
            </p>
            <div class="buttons">
                <button type="button" data-testid="show-export" on:click=show>{t("Show export code")}</button>
                <button type="button" on:click=download>{t("Download as a file")}</button>
            </div>
            <Show when=move || shown.read().is_some()>
                <textarea readonly rows="3" class="code" data-testid="export-code" prop:value=move || shown.get().unwrap_or_default()></textarea>
            </Show>
        </div>
    }
}

#[component]
fn ImportIdentity() -> impl IntoView {
    let code = RwSignal::new(String::new());
    let message = RwSignal::new(None::<(bool, String)>);
    // Set when the code would replace this device's identity: (current name, incoming name).
    let replacing = RwSignal::new(None::<(String, String)>);
    let import = move |replace: bool| match repo::import_identity(&code.get_untracked(), replace) {
        Ok(()) => {
            code.set(String::new());
            replacing.set(None);
            message.set(Some((
                true,
                t("Identity imported: this device now signs as it.").into(),
            )));
        }
        Err(repo::ImportProblem::WouldReplace { current, incoming }) => {
            message.set(None);
            replacing.set(Some((current, incoming)));
        }
        Err(repo::ImportProblem::Invalid(e)) => {
            replacing.set(None);
            message.set(Some((false, tf("Not imported: {}.", &[&i18n::tr(&e)]))));
        }
    };
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        import(false);
    };
    let on_file = move |ev: leptos::ev::Event| {
        crate::components::read_file(ev, move |text| code.set(text.trim().to_string()))
    };
    view! {
        <form class="card import-identity" on:submit=submit data-testid="import-identity">
            <h2>{t("Use an identity from another device")}</h2>
            <label>
                {t("Export code")}
                <textarea
                    rows="3"
                    name="import-code"
                    placeholder="GS1-…"
                    prop:value=move || code.get()
                    on:input=move |ev| code.set(event_target_value(&ev))
                ></textarea>
            </label>
            <label>{t("…or the exported file")} <input type="file" accept=".txt,text/plain" on:change=on_file /></label>
            <Show when=move || replacing.read().is_some()>
                <div class="banner warn" role="alert" data-testid="replace-warning">
                    <p>
                        {move || {
                            let (current, incoming) = replacing.get().unwrap_or_default();
                            tf(
                                "This replaces {} on this device with {}. {}'s key is gone for good unless you exported it.",
                                &[&current, &incoming, &current],
                            )
                        }}
                    </p>
                    <div class="buttons">
                        <button type="button" class="danger" data-testid="confirm-replace" on:click=move |_| import(true)>
                            {t("Replace it")}
                        </button>
                        <button type="button" on:click=move |_| replacing.set(None)>{t("Keep mine")}</button>
                    </div>
                </div>
            </Show>
            <Show when=move || message.read().is_some()>
                <p
                    role="status"
                    class:errors=move || message.get().is_some_and(|(ok, _)| !ok)
                    class:ok=move || message.get().is_some_and(|(ok, _)| ok)
                >
                    {move || message.get().map(|(_, m)| m).unwrap_or_default()}
                </p>
            </Show>
            <button type="submit">{t("Import")}</button>
        </form>
    }
}
