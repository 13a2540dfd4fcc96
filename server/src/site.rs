//! The whole site: pages, static files and the relay on one axum router.

use crate::relay::{Limits, Relay};
use crate::store::RedbStore;
use app::{shell, App};
use axum::extract::FromRef;
use axum::http::{header, HeaderName, HeaderValue};
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

/// The build every response comes from: `version.txt` of the site root, as `scripts/build`
/// wrote it when it built this server and its site. The service worker installs a new version
/// only from pages that carry its own version here: during a deployment the new site files and
/// service worker are in place before the server restarts, and the old server's pages must not
/// end up in the new worker's cache with the new wasm.
pub const VERSION_HEADER: HeaderName = HeaderName::from_static("x-goals-version");

/// The build version in the site root, if it has one (read once, at start-up).
pub fn build_version(site_root: &std::path::Path) -> Option<HeaderValue> {
    let path = site_root.join("version.txt");
    let text = match std::fs::read_to_string(&path) {
        Ok(text) => text,
        Err(e) => {
            tracing::warn!(path = %path.display(), "no build version ({e}): the service worker will not install");
            return None;
        }
    };
    match HeaderValue::from_str(text.trim()) {
        Ok(v) if !v.is_empty() => Some(v),
        _ => {
            tracing::warn!(path = %path.display(), "the build version is not a header value");
            None
        }
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
    let version = build_version(&config.site_root).unwrap_or(HeaderValue::from_static("none"));
    let router = Router::new()
        .route("/healthz", get(|| async { "ok" }))
        .merge(relay.clone().router())
        .merge(pages)
        .merge(static_files)
        .layer(SetResponseHeaderLayer::overriding(VERSION_HEADER, version));
    Ok(Site {
        router,
        relay,
        store,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use tokio::io::{AsyncReadExt, AsyncWriteExt};

    /// The response head of a plain HTTP/1.1 GET.
    async fn head(addr: std::net::SocketAddr, path: &str) -> String {
        let mut stream = tokio::net::TcpStream::connect(addr)
            .await
            .unwrap_or_else(|e| panic!("connect: {e}"));
        let request = format!("GET {path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
        stream
            .write_all(request.as_bytes())
            .await
            .unwrap_or_else(|e| panic!("write: {e}"));
        let mut out = Vec::new();
        stream
            .read_to_end(&mut out)
            .await
            .unwrap_or_else(|e| panic!("read: {e}"));
        let text = String::from_utf8_lossy(&out).to_string();
        text.split("\r\n\r\n")
            .next()
            .unwrap_or_default()
            .to_ascii_lowercase()
    }

    async fn serve(site: &std::path::Path, data: &std::path::Path) -> std::net::SocketAddr {
        let config = Config {
            site_root: site.to_path_buf(),
            data_dir: data.to_path_buf(),
            limits: Limits::default(),
        };
        let site = build(&config).unwrap_or_else(|e| panic!("build: {e}"));
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .unwrap_or_else(|e| panic!("bind: {e}"));
        let addr = listener
            .local_addr()
            .unwrap_or_else(|e| panic!("addr: {e}"));
        tokio::spawn(async move { axum::serve(listener, site.router).await });
        addr
    }

    #[tokio::test]
    async fn pages_and_files_carry_the_build_version_read_at_start_up() {
        let site = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let data = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        std::fs::write(site.path().join("version.txt"), "0123456789abcdef\n")
            .unwrap_or_else(|e| panic!("{e}"));
        std::fs::write(site.path().join("favicon.svg"), "<svg/>").unwrap_or_else(|e| panic!("{e}"));
        let addr = serve(site.path(), data.path()).await;
        // A new build's files land before the server restarts: the running server keeps saying
        // which build it is.
        std::fs::write(site.path().join("version.txt"), "fedcba9876543210\n")
            .unwrap_or_else(|e| panic!("{e}"));
        for path in ["/", "/me", "/sheet/11111111111111114Ki9Gx", "/favicon.svg"] {
            let head = head(addr, path).await;
            assert!(head.starts_with("http/1.1 200"), "{path}: {head}");
            assert!(
                head.contains("\r\nx-goals-version: 0123456789abcdef"),
                "{path}: {head}"
            );
        }
    }

    #[tokio::test]
    async fn a_site_without_a_version_says_none() {
        let site = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let data = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let addr = serve(site.path(), data.path()).await;
        let head = head(addr, "/").await;
        assert!(head.contains("\r\nx-goals-version: none"), "{head}");
    }
}
