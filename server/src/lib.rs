#![recursion_limit = "512"]
//! The server: the app rendered by leptos_axum, its static files, and the sync relay.
//!
//! Layout:
//! - [`peer`]: a native sync peer over a real WebSocket, for tests and tools.
//! - [`relay`]: the WebSocket endpoint `/sync` over the `repo_sync` hub.
//! - [`store`]: the relay's durable copy of every document (redb, under the data directory).
//! - [`site`]: the full router: pages, static files (precompressed where a `.br`/`.gz` sits
//!   beside them), the relay, a health check.

pub mod peer;
pub mod relay;
pub mod site;
pub mod store;
