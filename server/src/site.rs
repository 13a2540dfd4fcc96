//! The whole site: pages, static files and the relay on one axum router.

use crate::relay::{Limits, Relay};
use crate::store::RedbStore;
use app::{shell, App};
use axum::extract::FromRef;
use axum::http::{header, HeaderValue};
use axum::routing::get;
use axum::Router;
use leptos::config::LeptosOptions;
use leptos_axum::{generate_route_list, LeptosRoutes};
use std::path::PathBuf;
use std::sync::Arc;
use tower_http::services::ServeDir;
use tower_http::set_header::SetResponseHeaderLayer;

/// Where things are and how big they may be.
#[derive(Debug, Clone)]
pub struct Config {
    /// The built site: `pkg/` (wasm, JS, CSS) and the public files.
    pub site_root: PathBuf,
    /// Where the relay keeps its documents.
    pub data_dir: PathBuf,
    pub limits: Limits,
}

#[derive(Clone)]
struct AppState {
    leptos: LeptosOptions,
}

impl FromRef<AppState> for LeptosOptions {
    fn from_ref(state: &AppState) -> Self {
        state.leptos.clone()
    }
}

/// The running site's parts that outlive the router (to flush on shutdown, say).
pub struct Site {
    pub router: Router,
    pub relay: Relay,
    pub store: Arc<RedbStore>,
}

pub fn leptos_options(site_root: &std::path::Path) -> LeptosOptions {
    LeptosOptions::builder()
        .output_name("app")
        .site_root(site_root.to_string_lossy().to_string())
        .site_pkg_dir("pkg")
        .build()
}

/// Build the router over the store in `config.data_dir`.
pub fn build(config: &Config) -> Result<Site, crate::store::OpenError> {
    let store = Arc::new(RedbStore::open(&config.data_dir)?);
    let relay = Relay::new(store.clone(), config.limits);
    let leptos = leptos_options(&config.site_root);
    let routes = generate_route_list(App);
    let state = AppState {
        leptos: leptos.clone(),
    };
    // The build names its files without a content hash, so browsers must revalidate them.
    let files = ServeDir::new(&config.site_root)
        .precompressed_br()
        .precompressed_gzip();
    let static_files =
        Router::new()
            .fallback_service(files)
            .layer(SetResponseHeaderLayer::overriding(
                header::CACHE_CONTROL,
                HeaderValue::from_static("no-cache"),
            ));
    let pages = Router::new()
        .leptos_routes(&state, routes, {
            let leptos = leptos.clone();
            move || shell(leptos.clone())
        })
        .with_state(state);
    let router = Router::new()
        .route("/healthz", get(|| async { "ok" }))
        .merge(relay.clone().router())
        .merge(pages)
        .merge(static_files);
    Ok(Site {
        router,
        relay,
        store,
    })
}
