//! The sync relay: a WebSocket endpoint that speaks the automerge-repo protocol.
//!
//! Each connection gets a reader (this task) and a writer task joined by a bounded channel.
//! Frames go through the [`Hub`] under a mutex (a `std` mutex: nothing awaits while holding it,
//! and the hub's work per frame is short), and the hub's effects are handed to the writers of
//! the connections they name. A connection that sends something bad is closed with a logged
//! reason after what is queued for it (the `error` message); the others carry on.
//!
//! A connection whose queue is full (by frames or bytes: it does not read what it is sent, or
//! too slowly) is ended at once through its kill switch, which its reader and writer both
//! watch: the writer stops even in the middle of a send that the socket does not take, the
//! reader stops reading, and the socket closes. This holds for the sender's own answers too:
//! a frame the hub counts as sent but that was dropped would leave its sync state wrong.

use crate::store::random_uuid;
use axum::extract::ws::{CloseFrame, Message as WsMessage, Utf8Bytes, WebSocket, WebSocketUpgrade};
use axum::extract::State;
use axum::response::Response;
use axum::routing::get;
use axum::Router;
use futures_util::stream::SplitSink;
use futures_util::{SinkExt, StreamExt};
use repo_sync::{ConnId, DocStore, Hub, Message, PeerId, StorageId};
use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::sync::{mpsc, watch, OwnedSemaphorePermit, Semaphore};

/// Limits on what one connection may send and queue.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// The largest message accepted, in bytes.
    pub max_message: usize,
    /// Frames queued for a connection before it is deemed too slow and closed.
    pub queue: usize,
    /// Bytes queued for a connection before it is deemed too slow and closed. A frame larger
    /// than this is still queued when nothing else is (a large document's first sync).
    pub queue_bytes: usize,
    /// How long a new connection may take to send `join` before it is closed.
    pub join_timeout: Duration,
    /// Connections open at once; one more is refused (closed at once, with a logged warning).
    pub max_connections: usize,
    /// Documents one connection may request or sync; one more closes it. A browser announces
    /// every sheet it keeps when it connects, so this stays well above what one device holds.
    pub max_documents: usize,
    /// Durable peers' sync states the hub keeps in memory between their connections (the
    /// store keeps its own, on disk); past this the oldest go.
    pub kept_sync_states: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_message: 16 * 1024 * 1024,
            queue: 1024,
            queue_bytes: 32 * 1024 * 1024,
            join_timeout: Duration::from_secs(10),
            max_connections: 1024,
            max_documents: 10_000,
            kept_sync_states: repo_sync::resume::DEFAULT_KEPT_STATES,
        }
    }
}

enum Out {
    Frame(Vec<u8>),
    Close(u16, String),
}

/// Why a connection is being ended at once, without sending what is queued for it.
#[derive(Debug, Clone)]
struct Kill {
    code: u16,
    reason: String,
}

/// What the relay holds of one connection: its writer's queue, and its kill switch.
struct ConnHandle {
    tx: mpsc::Sender<Out>,
    /// Bytes in `tx` not yet taken by the writer.
    queued_bytes: Arc<AtomicUsize>,
    /// Set once to end the connection: its reader and writer both watch it.
    kill: watch::Sender<Option<Kill>>,
}

impl ConnHandle {
    /// Queue a frame for the writer; false if the queue is full, by frames or by bytes.
    fn queue(&self, frame: Vec<u8>, max_bytes: usize) -> bool {
        let len = frame.len();
        let before = self.queued_bytes.fetch_add(len, Ordering::SeqCst);
        if before > 0 && before.saturating_add(len) > max_bytes {
            self.queued_bytes.fetch_sub(len, Ordering::SeqCst);
            return false;
        }
        if self.tx.try_send(Out::Frame(frame)).is_err() {
            self.queued_bytes.fetch_sub(len, Ordering::SeqCst);
            return false;
        }
        true
    }

    /// Close after what is queued (an `error` message, say) has been sent; at once if the queue
    /// has no room for the close.
    fn close(&self, code: u16, reason: &str) {
        if self
            .tx
            .try_send(Out::Close(code, reason.to_owned()))
            .is_err()
        {
            self.kill(code, reason);
        }
    }

    /// End the connection now: the writer drops what is queued and the reader stops reading.
    fn kill(&self, code: u16, reason: &str) {
        self.kill.send_if_modified(|k| {
            if k.is_some() {
                return false;
            }
            *k = Some(Kill {
                code,
                reason: reason.to_owned(),
            });
            true
        });
    }
}

struct Inner {
    hub: Mutex<Hub>,
    store: Arc<dyn DocStore + Send + Sync>,
    conns: Mutex<HashMap<ConnId, Arc<ConnHandle>>>,
    next_conn: AtomicU64,
    /// Connections whose socket is still open (their reader has not finished).
    open: AtomicUsize,
    /// One permit per connection allowed at once.
    permits: Arc<Semaphore>,
    limits: Limits,
    /// Set once when the relay shuts down; every connection's reader watches it.
    shutdown: watch::Sender<bool>,
}

/// The relay, shared by every connection.
#[derive(Clone)]
pub struct Relay {
    inner: Arc<Inner>,
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// WebSocket close code for a normal close (RFC 6455).
const CLOSE_NORMAL: u16 = 1000;
/// WebSocket close code for a policy violation (RFC 6455).
const CLOSE_POLICY: u16 = 1008;
/// WebSocket close code for an endpoint going away.
const CLOSE_GOING_AWAY: u16 = 1001;
/// WebSocket close code for a message too big to process.
const CLOSE_TOO_BIG: u16 = 1009;
/// WebSocket close code for a server that is overloaded ("try again later", IANA registry).
const CLOSE_TRY_AGAIN: u16 = 1013;

/// How long a connection that is being closed may take to send what is queued for it.
const DRAIN: Duration = Duration::from_secs(5);
/// How long a closed connection waits for its peer to take the close before the socket is dropped.
const LINGER: Duration = Duration::from_secs(1);
/// How long a killed connection's close frame may take before the socket is simply dropped.
const KILL_GRACE: Duration = Duration::from_millis(500);

/// How a connection ended, for the log.
enum Ended {
    /// The peer closed the socket.
    ByPeer,
    /// The peer said `leave`.
    Left,
    /// The relay is shutting down.
    Shutdown,
    /// The relay closed it (bad input, a protocol error): already sent as a close frame.
    ByRelay(String),
    /// A frame the WebSocket layer could not read (over the size limit, say): closed like
    /// `ByRelay`, but nothing more can be read from the socket.
    BadFrame(String),
    /// The kill switch: the connection could not keep up, say.
    Killed(String),
}

/// Why the hub says to close a connection.
enum Closing {
    /// The peer said `leave`.
    Left,
    /// Bad input or a protocol error, with the reason.
    Fault(String),
}

/// Counts a connection as open until dropped.
struct OpenGuard<'a>(&'a AtomicUsize);

impl Drop for OpenGuard<'_> {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::SeqCst);
    }
}

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
                hub: Mutex::new(
                    Hub::new(PeerId::from_random("relay", bits), storage)
                        .with_document_limit(limits.max_documents)
                        .with_kept_states(limits.kept_sync_states),
                ),
                store,
                conns: Mutex::new(HashMap::new()),
                next_conn: AtomicU64::new(1),
                open: AtomicUsize::new(0),
                permits: Arc::new(Semaphore::new(
                    limits.max_connections.min(Semaphore::MAX_PERMITS),
                )),
                limits,
                shutdown: watch::channel(false).0,
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

    /// How many connections are open: sockets the relay has not finished with.
    pub fn connections(&self) -> usize {
        self.inner.open.load(Ordering::SeqCst)
    }

    /// Wait until every connection has ended (after [`Relay::close_all`]), at most `within`;
    /// false if some are still open then.
    pub async fn wait_closed(&self, within: Duration) -> bool {
        self.wait_closed_to(0, within).await
    }

    /// Wait until at most `open` connections are open, at most `within`.
    pub async fn wait_closed_to(&self, open: usize, within: Duration) -> bool {
        let deadline = tokio::time::Instant::now() + within;
        while self.connections() > open {
            if tokio::time::Instant::now() >= deadline {
                return false;
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        true
    }

    /// Serve one connection, holding its permit until it ends.
    async fn serve(self, socket: WebSocket, _permit: OwnedSemaphorePermit) {
        self.inner.open.fetch_add(1, Ordering::SeqCst);
        let _open = OpenGuard(&self.inner.open);
        let conn = self.inner.next_conn.fetch_add(1, Ordering::Relaxed);
        let (tx, rx) = mpsc::channel::<Out>(self.inner.limits.queue.max(1));
        let handle = Arc::new(ConnHandle {
            tx,
            queued_bytes: Arc::new(AtomicUsize::new(0)),
            kill: watch::channel(None).0,
        });
        lock(&self.inner.conns).insert(conn, handle.clone());
        lock(&self.inner.hub).connect(conn);
        let (sink, mut stream) = socket.split();
        let mut writer = tokio::spawn(write(
            sink,
            rx,
            handle.queued_bytes.clone(),
            handle.kill.subscribe(),
        ));
        tracing::debug!(conn, "connection opened");
        let mut shutdown = self.inner.shutdown.subscribe();
        let mut killed = handle.kill.subscribe();
        let join_timeout = self.inner.limits.join_timeout;
        let join_deadline = tokio::time::sleep(join_timeout);
        tokio::pin!(join_deadline);
        let mut joined = false;
        let ended = loop {
            if *shutdown.borrow_and_update() {
                handle.close(CLOSE_GOING_AWAY, "the relay is shutting down");
                break Ended::Shutdown;
            }
            let next = tokio::select! {
                biased;
                k = killed.wait_for(Option::is_some) => {
                    let reason = k
                        .ok()
                        .and_then(|k| k.as_ref().map(|k| k.reason.clone()))
                        .unwrap_or_default();
                    break Ended::Killed(reason);
                }
                _ = shutdown.changed() => continue,
                () = &mut join_deadline, if !joined => {
                    let reason = format!("no join message within {join_timeout:?}");
                    handle.queue(
                        Message::Error { message: reason.clone() }.encode(),
                        usize::MAX,
                    );
                    handle.close(CLOSE_POLICY, &reason);
                    break Ended::ByRelay(reason);
                }
                next = stream.next() => next,
            };
            let Some(next) = next else {
                break Ended::ByPeer;
            };
            let bytes = match next {
                Ok(WsMessage::Binary(b)) => b,
                Ok(WsMessage::Text(t)) => {
                    // Not part of the protocol; the hub answers it as a malformed message.
                    axum::body::Bytes::copy_from_slice(t.as_str().as_bytes())
                }
                Ok(WsMessage::Close(_)) => break Ended::ByPeer,
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
                    let reason = format!("bad frame: {text}");
                    handle.queue(
                        Message::Error {
                            message: reason.clone(),
                        }
                        .encode(),
                        usize::MAX,
                    );
                    handle.close(code, &reason);
                    break Ended::BadFrame(reason);
                }
            };
            match self.handle(conn, &bytes) {
                None => {}
                Some(Closing::Left) => {
                    handle.close(CLOSE_NORMAL, "goodbye");
                    break Ended::Left;
                }
                Some(Closing::Fault(reason)) => {
                    handle.close(CLOSE_POLICY, &reason);
                    break Ended::ByRelay(reason);
                }
            }
            if !joined {
                joined = lock(&self.inner.hub).is_joined(conn);
            }
        };
        match &ended {
            Ended::ByRelay(r) | Ended::BadFrame(r) => {
                tracing::warn!(conn, reason = %r, "connection closed by the relay")
            }
            Ended::Killed(r) => tracing::warn!(conn, reason = %r, "connection ended by the relay"),
            Ended::Shutdown => {
                tracing::debug!(conn, "connection closed: the relay is shutting down")
            }
            Ended::ByPeer => tracing::debug!(conn, "connection closed by the peer"),
            Ended::Left => tracing::debug!(conn, "connection closed: the peer left"),
        }
        lock(&self.inner.hub).disconnect(conn, self.inner.store.as_ref());
        lock(&self.inner.conns).remove(&conn);
        // Let the writer send what is queued (the error message, the close frame), then stop;
        // a peer that does not take it in time is cut off.
        let kill = handle.kill.clone();
        drop(handle);
        if tokio::time::timeout(DRAIN, &mut writer).await.is_err() {
            tracing::warn!(conn, "the connection did not take its last frames; dropped");
            kill.send_replace(Some(Kill {
                code: CLOSE_POLICY,
                reason: "too slow to keep up".into(),
            }));
            writer.abort();
        }
        // Closing a socket with unread input resets it, and a reset can make the peer lose
        // what it has not read yet: the error message and the close frame. So wait, briefly, for
        // the peer to answer the close, reading and dropping what it still sends.
        match ended {
            Ended::ByRelay(_) | Ended::Shutdown | Ended::Left => {
                let _ = tokio::time::timeout(LINGER, async {
                    while let Some(Ok(msg)) = stream.next().await {
                        if matches!(msg, WsMessage::Close(_)) {
                            break;
                        }
                    }
                })
                .await;
            }
            // The WebSocket layer cannot read past a bad frame: just give the peer time to read.
            Ended::BadFrame(_) => tokio::time::sleep(LINGER).await,
            Ended::ByPeer | Ended::Killed(_) => {}
        }
        // Dropping the reading half (the writer has dropped the other) closes the socket.
        drop(stream);
    }

    /// Run one frame through the hub and hand out what it says to send. Says whether to close
    /// this connection.
    fn handle(&self, conn: ConnId, bytes: &[u8]) -> Option<Closing> {
        let fx = lock(&self.inner.hub).receive(conn, bytes, self.inner.store.as_ref());
        let mut too_slow: Vec<ConnId> = Vec::new();
        {
            let conns = lock(&self.inner.conns);
            for (to, frame) in fx.send {
                if let Some(h) = conns.get(&to) {
                    if !too_slow.contains(&to) && !h.queue(frame, self.inner.limits.queue_bytes) {
                        too_slow.push(to);
                    }
                }
            }
        }
        for slow in too_slow {
            // Frames the hub counts as sent were not: that connection's sync states are wrong
            // now, so it must go (its peer reconnects and resumes).
            tracing::warn!(
                conn = slow,
                from = conn,
                "ending a connection that does not keep up: its send queue is full"
            );
            if let Some(h) = lock(&self.inner.conns).remove(&slow) {
                h.kill(CLOSE_POLICY, "too slow to keep up");
            }
            lock(&self.inner.hub).disconnect(slow, self.inner.store.as_ref());
        }
        match (fx.close, fx.left) {
            (None, _) => None,
            (Some(_), true) => Some(Closing::Left),
            (Some(reason), false) => Some(Closing::Fault(reason)),
        }
    }
}

/// A connection's writer: sends what is queued until the queue closes, a close is queued, or the
/// kill switch is set (then it sends a close frame if the socket takes it at once, and stops).
async fn write(
    mut sink: SplitSink<WebSocket, WsMessage>,
    mut rx: mpsc::Receiver<Out>,
    queued_bytes: Arc<AtomicUsize>,
    mut kill: watch::Receiver<Option<Kill>>,
) {
    loop {
        let out = tokio::select! {
            biased;
            _ = kill.wait_for(Option::is_some) => break,
            out = rx.recv() => out,
        };
        match out {
            None => return,
            Some(Out::Frame(bytes)) => {
                queued_bytes.fetch_sub(bytes.len(), Ordering::SeqCst);
                let sent = tokio::select! {
                    biased;
                    _ = kill.wait_for(Option::is_some) => break,
                    sent = sink.send(WsMessage::Binary(bytes.into())) => sent,
                };
                if sent.is_err() {
                    return;
                }
            }
            Some(Out::Close(code, reason)) => {
                let _ = sink.send(close_frame(code, &reason)).await;
                return;
            }
        }
    }
    let why = kill.borrow().clone();
    if let Some(Kill { code, reason }) = why {
        let _ = tokio::time::timeout(KILL_GRACE, sink.send(close_frame(code, &reason))).await;
    }
}

fn close_frame(code: u16, reason: &str) -> WsMessage {
    // A close frame's reason must fit in 123 bytes.
    let mut end = reason.len().min(120);
    while !reason.is_char_boundary(end) {
        end -= 1;
    }
    WsMessage::Close(Some(CloseFrame {
        code,
        reason: Utf8Bytes::from(&reason[..end]),
    }))
}

async fn upgrade(State(relay): State<Relay>, ws: WebSocketUpgrade) -> Response {
    let max = relay.inner.limits.max_message;
    let ws = ws.max_message_size(max).max_frame_size(max);
    match relay.inner.permits.clone().try_acquire_owned() {
        Ok(permit) => ws.on_upgrade(move |socket| relay.serve(socket, permit)),
        Err(_) => {
            let most = relay.inner.limits.max_connections;
            tracing::warn!(
                open = relay.connections(),
                max_connections = most,
                "refusing a connection: the relay has as many open as it allows"
            );
            ws.on_upgrade(move |socket| refuse(socket, most))
        }
    }
}

/// Tell a connection over the limit why it is closed (an `error` message, then "try again
/// later"), and close it.
async fn refuse(mut socket: WebSocket, most: usize) {
    let reason = format!("the relay is full ({most} connections); try again later");
    let _ = tokio::time::timeout(KILL_GRACE, async {
        let error = Message::Error {
            message: reason.clone(),
        };
        socket
            .send(WsMessage::Binary(error.encode().into()))
            .await?;
        socket.send(close_frame(CLOSE_TRY_AGAIN, &reason)).await
    })
    .await;
}
