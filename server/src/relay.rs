//! The sync relay: a WebSocket endpoint that speaks the automerge-repo protocol.
//!
//! Each connection gets a reader (this task) and a writer task joined by a bounded channel.
//! Frames go through the [`Hub`] under a mutex (a `std` mutex: nothing awaits while holding it,
//! and the hub's work per frame is short), and the hub's effects are handed to the writers of
//! the connections they name. A connection that sends something bad, or cannot keep up with what
//! it is sent, is closed with a logged reason; the others carry on.

use crate::store::random_uuid;
use axum::extract::ws::{CloseFrame, Message as WsMessage, Utf8Bytes, WebSocket, WebSocketUpgrade};
use axum::extract::State;
use axum::response::Response;
use axum::routing::get;
use axum::Router;
use futures_util::{SinkExt, StreamExt};
use repo_sync::{ConnId, DocStore, Hub, PeerId, StorageId};
use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use tokio::sync::mpsc;

/// Limits on what one connection may send and queue.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// The largest message accepted, in bytes.
    pub max_message: usize,
    /// Frames queued for a connection before it is deemed too slow and closed.
    pub queue: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_message: 16 * 1024 * 1024,
            queue: 1024,
        }
    }
}

enum Out {
    Frame(Vec<u8>),
    Close(u16, String),
}

struct Inner {
    hub: Mutex<Hub>,
    store: Arc<dyn DocStore + Send + Sync>,
    conns: Mutex<HashMap<ConnId, mpsc::Sender<Out>>>,
    next_conn: AtomicU64,
    limits: Limits,
    /// Set once when the relay shuts down; every connection's reader watches it.
    shutdown: tokio::sync::watch::Sender<bool>,
}

/// The relay, shared by every connection.
#[derive(Clone)]
pub struct Relay {
    inner: Arc<Inner>,
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// WebSocket close code for a policy violation (RFC 6455).
const CLOSE_POLICY: u16 = 1008;
/// WebSocket close code for an endpoint going away.
const CLOSE_GOING_AWAY: u16 = 1001;
/// WebSocket close code for a message too big to process.
const CLOSE_TOO_BIG: u16 = 1009;

impl Relay {
    /// A relay over `store`, announcing the store's id as its `storageId` (a store without one
    /// gets a new id for this run).
    pub fn new(store: Arc<dyn DocStore + Send + Sync>, limits: Limits) -> Relay {
        let clock = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_nanos() as u64)
            .unwrap_or_default();
        let mut random = [0u8; 8];
        // A peer id only needs to differ from the last run's; the clock does if randomness fails.
        let bits = match getrandom::fill(&mut random) {
            Ok(()) => u64::from_le_bytes(random),
            Err(_) => clock,
        };
        let storage = store.storage_id().unwrap_or_else(|| {
            StorageId::new(random_uuid().unwrap_or_else(|_| format!("relay-run-{clock:016x}")))
        });
        Relay {
            inner: Arc::new(Inner {
                hub: Mutex::new(Hub::new(PeerId::from_random("relay", bits), storage)),
                store,
                conns: Mutex::new(HashMap::new()),
                next_conn: AtomicU64::new(1),
                limits,
                shutdown: tokio::sync::watch::channel(false).0,
            }),
        }
    }

    /// A router with the relay at `/sync`.
    pub fn router(self) -> Router {
        Router::new().route("/sync", get(upgrade)).with_state(self)
    }

    /// Close every connection (the server is going away); new ones are refused.
    pub fn close_all(&self) {
        self.inner.shutdown.send_replace(true);
    }

    /// How many connections are open.
    pub fn connections(&self) -> usize {
        lock(&self.inner.conns).len()
    }

    async fn serve(self, socket: WebSocket) {
        let conn = self.inner.next_conn.fetch_add(1, Ordering::Relaxed);
        let (tx, mut rx) = mpsc::channel::<Out>(self.inner.limits.queue);
        lock(&self.inner.conns).insert(conn, tx.clone());
        lock(&self.inner.hub).connect(conn);
        let (mut sink, mut stream) = socket.split();
        let writer = tokio::spawn(async move {
            while let Some(out) = rx.recv().await {
                let result = match out {
                    Out::Frame(bytes) => sink.send(WsMessage::Binary(bytes.into())).await,
                    Out::Close(code, reason) => {
                        let reason: String = reason.chars().take(120).collect();
                        let _ = sink
                            .send(WsMessage::Close(Some(CloseFrame {
                                code,
                                reason: Utf8Bytes::from(reason),
                            })))
                            .await;
                        break;
                    }
                };
                if result.is_err() {
                    break;
                }
            }
        });
        tracing::debug!(conn, "connection opened");
        let mut shutdown = self.inner.shutdown.subscribe();
        let reason = loop {
            if *shutdown.borrow_and_update() {
                let _ = tx.try_send(Out::Close(
                    CLOSE_GOING_AWAY,
                    "the relay is shutting down".into(),
                ));
                break Some("the relay is shutting down".to_string());
            }
            let next = tokio::select! {
                next = stream.next() => next,
                _ = shutdown.changed() => continue,
            };
            let Some(next) = next else {
                break None;
            };
            let bytes = match next {
                Ok(WsMessage::Binary(b)) => b,
                Ok(WsMessage::Text(t)) => {
                    // Not part of the protocol; the hub answers it as a malformed message.
                    axum::body::Bytes::copy_from_slice(t.as_str().as_bytes())
                }
                Ok(WsMessage::Close(_)) => break None,
                Ok(WsMessage::Ping(_) | WsMessage::Pong(_)) => continue,
                Err(e) => {
                    let text = e.to_string();
                    let code = if text.contains("too long")
                        || text.contains("too big")
                        || text.contains("Space limit")
                    {
                        CLOSE_TOO_BIG
                    } else {
                        CLOSE_POLICY
                    };
                    let _ = tx.try_send(Out::Close(code, format!("bad frame: {text}")));
                    break Some(format!("bad frame: {text}"));
                }
            };
            if let Some(reason) = self.handle(conn, &bytes) {
                let _ = tx.send(Out::Close(CLOSE_POLICY, reason.clone())).await;
                break Some(reason);
            }
        };
        match &reason {
            Some(r) => tracing::warn!(conn, reason = %r, "connection closed by the relay"),
            None => tracing::debug!(conn, "connection closed by the peer"),
        }
        lock(&self.inner.hub).disconnect(conn);
        lock(&self.inner.conns).remove(&conn);
        drop(tx);
        // Let the writer send what is queued (the error message, the close frame), then stop.
        let _ = tokio::time::timeout(std::time::Duration::from_secs(5), writer).await;
    }

    /// Run one frame through the hub and hand out what it says to send. Returns a reason to
    /// close this connection, if any.
    fn handle(&self, conn: ConnId, bytes: &[u8]) -> Option<String> {
        let fx = lock(&self.inner.hub).receive(conn, bytes, self.inner.store.as_ref());
        let mut too_slow = Vec::new();
        {
            let conns = lock(&self.inner.conns);
            for (to, frame) in fx.send {
                if let Some(tx) = conns.get(&to) {
                    if tx.try_send(Out::Frame(frame)).is_err() && to != conn {
                        too_slow.push(to);
                    }
                }
            }
        }
        for slow in too_slow {
            tracing::warn!(conn = slow, "closing a connection that does not keep up");
            if let Some(tx) = lock(&self.inner.conns).remove(&slow) {
                let _ = tx.try_send(Out::Close(CLOSE_POLICY, "too slow to keep up".into()));
            }
            lock(&self.inner.hub).disconnect(slow);
        }
        fx.close
    }
}

async fn upgrade(State(relay): State<Relay>, ws: WebSocketUpgrade) -> Response {
    let max = relay.inner.limits.max_message;
    ws.max_message_size(max)
        .max_frame_size(max)
        .on_upgrade(move |socket| relay.serve(socket))
}
