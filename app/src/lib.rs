#![recursion_limit = "512"]
//! The goal-sheet UI.
//!
//! Layout:
//! - [`routes`]: one file per page: the sheet list ([`routes::home`]) and one sheet
//!   ([`routes::sheet`]).
//! - [`components`]: pieces shared by pages (the sync status badge, form fields).
//! - [`repo`]: the browser's documents. In the browser (`hydrate`), every goal sheet is an
//!   Automerge document kept in local storage and synced with the relay over a WebSocket; pages
//!   see it through reactive handles. On the server (`ssr`) nothing is stored: pages render their
//!   loading state and the browser fills them in after hydration, so what is shown always comes
//!   from this device's storage first.
//!
//! The rules themselves (weights, validation, the document layout) live in the `domain` crate;
//! components only display its results and turn input into its `Edit`s.

pub mod components;
pub mod i18n;
pub mod repo;
pub mod routes;

use leptos::prelude::*;
use leptos_meta::{provide_meta_context, MetaTags, Title};
use leptos_router::{
    components::{Route, Router, Routes},
    path,
};

/// The HTML document around the app, rendered on the server.
pub fn shell(options: LeptosOptions) -> impl IntoView {
    view! {
        <!DOCTYPE html>
        <html lang="en">
            <head>
                <meta charset="utf-8" />
                <meta name="viewport" content="width=device-width, initial-scale=1" />
                <meta name="theme-color" content="#1f5f8b" />
                <link rel="stylesheet" href="/pkg/app.css" />
                <link rel="icon" href="/favicon.svg" type="image/svg+xml" />
                <link rel="manifest" href="/manifest.webmanifest" />
                <link rel="apple-touch-icon" href="/icons/apple-touch-icon.png" />
                <meta name="mobile-web-app-capable" content="yes" />
                <script src="/sw-register.js" defer></script>
                <HydrationScripts options />
                <MetaTags />
            </head>
            <body>
                <App />
            </body>
        </html>
    }
}

#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    // The language the views are built in. Strings are looked up when a view is built (see
    // `i18n`), so a change of language rebuilds everything under the router.
    let lang = RwSignal::new(i18n::Lang::En);
    provide_context(lang);
    // Start the browser's document store and relay connection once the page is live, and
    // switch to the stored or the browser's language (the server renders English).
    Effect::new(move |_| {
        repo::start();
        let preferred = i18n::preferred();
        if preferred != lang.get_untracked() {
            i18n::set_current(preferred);
            lang.set(preferred);
        }
    });
    view! {
        <Router>
            {move || {
                let _ = lang.get();
                view! {
                    <Title text=i18n::t("Goal sheets") />
                    <header class="topbar">
                        <a class="brand" href="/">{i18n::t("Goal sheets")}</a>
                        <span class="topbar-right">
                            <components::LangSwitch />
                            <components::MeLink />
                            <components::SyncBadge />
                        </span>
                    </header>
                    <components::UpdateBanner />
                    <components::StorageWarning />
                    <main>
                        <Routes fallback=|| view! { <p class="empty">{i18n::t("Page not found.")}</p> }>
                            <Route path=path!("/") view=routes::home::HomePage />
                            <Route path=path!("/sheet/:id") view=routes::sheet::SheetPage />
                            <Route path=path!("/sheet/:id/print") view=routes::print::PrintPage />
                            <Route path=path!("/me") view=routes::me::MePage />
                            <Route path=path!("/kb/:id") view=routes::kb::KbPage />
                        </Routes>
                    </main>
                }
            }}
        </Router>
    }
}

/// The WebAssembly entry point: hydrate the server-rendered page.
#[cfg(feature = "hydrate")]
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    leptos::mount::hydrate_body(App);
    // A marker for tests and tools: the page is live.
    if let Some(root) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.document_element())
    {
        let _ = root.set_attribute("data-hydrated", "true");
    }
}
