#![recursion_limit = "512"]
//! `goals-server`: serve the app and the relay.

use clap::Parser;
use server::relay::Limits;
use server::site::{build, Config};
use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;
use tracing_subscriber::EnvFilter;

/// Serve the goal-sheet app and its sync relay.
#[derive(Parser, Debug)]
#[command(version, about)]
struct Args {
    /// Address to listen on.
    #[arg(long, env = "GOALS_ADDR", default_value = "127.0.0.1:3000")]
    addr: SocketAddr,
    /// Where the relay keeps its documents.
    #[arg(long, env = "GOALS_DATA_DIR", default_value = "data")]
    data_dir: PathBuf,
    /// The built site (wasm, JS, CSS and public files).
    #[arg(long, env = "GOALS_SITE_ROOT", default_value = "target/site")]
    site_root: PathBuf,
    /// The largest sync message accepted, in bytes.
    #[arg(long, env = "GOALS_MAX_MESSAGE", default_value_t = Limits::default().max_message)]
    max_message: usize,
    /// Relay connections open at once; one more is refused.
    #[arg(long, env = "GOALS_MAX_CONNECTIONS", default_value_t = Limits::default().max_connections)]
    max_connections: usize,
    /// Seconds a new relay connection may take to send its `join` message.
    #[arg(long, env = "GOALS_JOIN_TIMEOUT", default_value_t = Limits::default().join_timeout.as_secs())]
    join_timeout: u64,
    /// Documents one relay connection may sync.
    #[arg(long, env = "GOALS_MAX_DOCUMENTS", default_value_t = Limits::default().max_documents)]
    max_documents: usize,
    /// Durable peers' sync states the relay keeps in memory between their connections.
    #[arg(long, env = "GOALS_KEPT_SYNC_STATES", default_value_t = Limits::default().kept_sync_states)]
    kept_sync_states: usize,
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    tracing_subscriber::fmt()
        .with_env_filter(
            EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info")),
        )
        .init();
    let args = Args::parse();
    if !args.site_root.join("pkg").join("app.js").exists() {
        tracing::warn!(
            site_root = %args.site_root.display(),
            "no built app under the site root: pages will not hydrate (build with scripts/build)"
        );
    }
    let config = Config {
        site_root: args.site_root,
        data_dir: args.data_dir,
        limits: Limits {
            max_message: args.max_message,
            max_connections: args.max_connections,
            join_timeout: Duration::from_secs(args.join_timeout),
            max_documents: args.max_documents,
            kept_sync_states: args.kept_sync_states,
            ..Limits::default()
        },
    };
    let site = build(&config)?;
    let listener = tokio::net::TcpListener::bind(args.addr)
        .await
        .map_err(|e| anyhow::anyhow!("cannot listen on {}: {e}", args.addr))?;
    tracing::info!(
        "serving on http://{} (data in {})",
        listener.local_addr()?,
        config.data_dir.display()
    );
    let stop = stop_signal()?;
    let relay = site.relay.clone();
    axum::serve(listener, site.router)
        .with_graceful_shutdown(async move {
            let signal = stop.await;
            tracing::info!(signal, "shutting down");
            relay.close_all();
        })
        .await?;
    // WebSocket connections outlive the HTTP server: let them end, so that nothing is appended
    // to the store after it is closed.
    if !site.relay.wait_closed(Duration::from_secs(10)).await {
        tracing::warn!(
            open = site.relay.connections(),
            "relay connections still open; closing the store anyway"
        );
    }
    site.store.close();
    tracing::info!("the store is flushed; stopped");
    Ok(())
}

/// Resolves, with the signal's name, on ctrl-c (SIGINT) or SIGTERM (what service managers and
/// container runtimes send). The handlers are installed now, before the server starts.
fn stop_signal() -> anyhow::Result<impl std::future::Future<Output = &'static str>> {
    #[cfg(unix)]
    let mut term = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
        .map_err(|e| anyhow::anyhow!("cannot watch for SIGTERM: {e}"))?;
    let interrupt = tokio::signal::ctrl_c();
    Ok(async move {
        #[cfg(unix)]
        let term = async move {
            term.recv().await;
        };
        #[cfg(not(unix))]
        let term = std::future::pending::<()>();
        let mut term = std::pin::pin!(term);
        tokio::select! {
            r = interrupt => match r {
                Ok(()) => "interrupt",
                Err(e) => {
                    // Without a ctrl-c handler, wait for SIGTERM alone.
                    tracing::error!(error = %e, "cannot watch for ctrl-c");
                    (&mut term).await;
                    "terminate"
                }
            },
            () = &mut term => "terminate",
        }
    })
}
