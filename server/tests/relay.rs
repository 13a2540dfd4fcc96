//! The relay over real WebSockets on 127.0.0.1, with native clients.

use automerge::transaction::Transactable;
use automerge::{AutoCommit, ReadDoc, ROOT};
use futures_util::{SinkExt, Stream, StreamExt};
use repo_sync::{Client, DecodeError, DocumentId, Incoming, PeerId, StorageId};
use server::peer::NativePeer;
use server::relay::{Limits, Relay};
use server::store::RedbStore;
use std::collections::HashMap;
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::oneshot;
use tokio_tungstenite::tungstenite::protocol::CloseFrame;
use tokio_tungstenite::tungstenite::{Error as WsError, Message as WsMessage};

const WAIT: Duration = Duration::from_secs(10);

struct Running {
    url: String,
    relay: Relay,
    stop: oneshot::Sender<()>,
    task: tokio::task::JoinHandle<()>,
    store: Arc<RedbStore>,
}

async fn start(dir: &Path, limits: Limits) -> Running {
    // A store from a relay just stopped may take a moment to release its file.
    let mut tries = 0;
    let store = loop {
        match RedbStore::open(dir) {
            Ok(s) => break Arc::new(s),
            Err(e) if tries < 50 => {
                tries += 1;
                let _ = e;
                tokio::time::sleep(Duration::from_millis(100)).await;
            }
            Err(e) => panic!("cannot open the store: {e}"),
        }
    };
    let relay = Relay::new(store.clone(), limits);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let addr = listener.local_addr().expect("addr");
    let (stop, stopped) = oneshot::channel::<()>();
    let router = relay.clone().router();
    let task = tokio::spawn(async move {
        let _ = axum::serve(listener, router)
            .with_graceful_shutdown(async {
                let _ = stopped.await;
            })
            .await;
    });
    Running {
        url: format!("ws://{addr}/sync"),
        relay,
        stop,
        task,
        store,
    }
}

impl Running {
    async fn stop(self) {
        self.relay.close_all();
        let deadline = tokio::time::Instant::now() + WAIT;
        while self.relay.connections() > 0 && tokio::time::Instant::now() < deadline {
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        let _ = self.stop.send(());
        let _ = self.task.await;
        self.store.close();
    }
}

fn new_id() -> DocumentId {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .expect("clock")
        .as_nanos();
    DocumentId::from_random(nanos.to_le_bytes())
}

fn title(peer: &NativePeer, id: &DocumentId) -> Option<String> {
    let doc = peer.docs.get(id)?;
    match doc.get(ROOT, "title").ok()?? {
        (automerge::Value::Scalar(s), _) => s.as_str().map(str::to_owned),
        _ => None,
    }
}

/// A new client `name` that sets the document's title to `value` and waits until the relay has
/// the change.
async fn writer(relay: &Running, name: &str, id: DocumentId, value: &str) -> NativePeer {
    let mut peer = NativePeer::connect(&relay.url, name).await.expect(name);
    peer.track(id).put(ROOT, "title", value).expect("put");
    peer.push(id).await.expect("push");
    peer.sync_until(WAIT, |p| p.in_sync(&id))
        .await
        .expect("synced with the relay");
    peer
}

/// A new client `name` that asks the relay for the document and waits until its title is
/// `expected` (`None`: any title at all); `what` says what that shows, for a failure.
async fn reader(
    relay: &Running,
    name: &str,
    id: DocumentId,
    expected: Option<&str>,
    what: &str,
) -> NativePeer {
    let mut peer = NativePeer::connect(&relay.url, name).await.expect(name);
    peer.track(id);
    peer.push(id).await.expect("request");
    peer.sync_until(WAIT, |p| match (title(p, &id), expected) {
        (Some(t), Some(e)) => t == e,
        (Some(_), None) => true,
        (None, _) => false,
    })
    .await
    .expect(what);
    peer
}

#[tokio::test]
async fn a_change_made_by_one_client_reaches_the_other() {
    let dir = tempfile::tempdir().expect("tempdir");
    let relay = start(dir.path(), Limits::default()).await;
    let id = new_id();
    let mut a = writer(&relay, "a", id, "first").await;

    let mut b = reader(&relay, "b", id, Some("first"), "b got it").await;

    a.track(id).put(ROOT, "title", "second").expect("put");
    a.push(id).await.expect("push");
    let (ra, rb) = tokio::join!(
        a.sync_until(WAIT, |p| p.in_sync(&id)),
        b.sync_until(WAIT, |p| title(p, &id).as_deref() == Some("second"))
    );
    ra.expect("a");
    rb.expect("b saw a's change");
    relay.stop().await;
}

#[tokio::test]
async fn a_restarted_relay_serves_documents_from_its_data_directory() {
    let dir = tempfile::tempdir().expect("tempdir");
    let id = new_id();
    {
        let relay = start(dir.path(), Limits::default()).await;
        let mut a = NativePeer::connect(&relay.url, "a").await.expect("a");
        let doc = a.track(id);
        for i in 0..100 {
            // Many small changes: more than the store's compaction threshold.
            doc.put(ROOT, "title", format!("v{i}")).expect("put");
            doc.commit();
        }
        a.push(id).await.expect("push");
        a.sync_until(WAIT, |p| p.in_sync(&id))
            .await
            .expect("synced");
        drop(a);
        relay.stop().await;
    }
    let relay = start(dir.path(), Limits::default()).await;
    let _b = reader(
        &relay,
        "b",
        id,
        Some("v99"),
        "the document survived the restart",
    )
    .await;
    relay.stop().await;
}

#[tokio::test]
async fn a_malformed_frame_closes_that_connection_only() {
    let dir = tempfile::tempdir().expect("tempdir");
    let relay = start(dir.path(), Limits::default()).await;
    let id = new_id();
    let mut a = writer(&relay, "a", id, "before").await;
    let mut b = reader(&relay, "b", id, None, "b has it").await;

    let mut bad = NativePeer::connect(&relay.url, "bad").await.expect("bad");
    bad.send_raw(WsMessage::Binary(vec![0xff, 0x13, 0x37].into()))
        .await
        .expect("send");
    let reason = bad.closed_reason(WAIT).await.expect("closed");
    assert!(
        reason.contains("malformed message"),
        "close reason: {reason:?}"
    );

    let mut text = NativePeer::connect(&relay.url, "text").await.expect("text");
    text.send_raw(WsMessage::Text("hello".into()))
        .await
        .expect("send");
    let reason = text.closed_reason(WAIT).await.expect("closed");
    assert!(
        reason.contains("malformed message"),
        "close reason: {reason:?}"
    );

    a.track(id).put(ROOT, "title", "after").expect("put");
    a.push(id).await.expect("push");
    b.sync_until(WAIT, |p| title(p, &id).as_deref() == Some("after"))
        .await
        .expect("the others carry on");
    relay.stop().await;
}

#[tokio::test]
async fn an_oversized_frame_closes_that_connection_and_keeps_what_was_stored() {
    let dir = tempfile::tempdir().expect("tempdir");
    let limits = Limits {
        max_message: 64 * 1024,
        ..Limits::default()
    };
    let relay = start(dir.path(), limits).await;
    let id = new_id();
    let mut a = writer(&relay, "a", id, "kept").await;

    // Another client, syncing the same document, is not disturbed.
    let mut b = reader(&relay, "b", id, Some("kept"), "b has it").await;

    let (mut big, _) = non_reading_client(&relay.url, &[]).await;
    let _ = big
        .send(WsMessage::Binary(vec![0u8; 200 * 1024].into()))
        .await;
    // An `error` message saying why, then the close frame: 1009, "message too big".
    let (error, close) = until_closed(&mut big).await;
    let close = close.expect("a close frame with a code");
    assert_eq!(u16::from(close.code), 1009, "{close:?}");
    match error {
        Some(Ok(repo_sync::Message::Error { message })) => {
            assert!(message.contains("too"), "{message}")
        }
        other => panic!("no error message before the close: {other:?}"),
    }

    a.track(id)
        .put(ROOT, "title", "still syncing")
        .expect("put");
    a.push(id).await.expect("push");
    b.sync_until(WAIT, |p| title(p, &id).as_deref() == Some("still syncing"))
        .await
        .expect("the other clients carry on");

    let _c = reader(&relay, "c", id, Some("still syncing"), "intact").await;
    relay.stop().await;
}

#[tokio::test]
async fn an_unknown_document_is_answered_unavailable() {
    let dir = tempfile::tempdir().expect("tempdir");
    let relay = start(dir.path(), Limits::default()).await;
    let id = new_id();
    let mut b = NativePeer::connect(&relay.url, "b").await.expect("b");
    b.track(id);
    b.push(id).await.expect("request");
    b.sync_until(WAIT, |p| p.unavailable.contains(&id))
        .await
        .expect("unavailable");
    relay.stop().await;
}

#[tokio::test]
async fn a_reconnecting_client_sends_only_what_is_new() {
    let dir = tempfile::tempdir().expect("tempdir");
    let relay = start(dir.path(), Limits::default()).await;
    let id = new_id();
    let mut a = NativePeer::connect(&relay.url, "a").await.expect("a");
    write_history(a.track(id), 300);
    a.push(id).await.expect("push");
    a.sync_until(WAIT, |p| p.in_sync(&id))
        .await
        .expect("synced");
    let doc = a.docs.get_mut(&id).expect("doc");
    let saved = doc.save().len();
    let changes: usize = doc
        .get_changes(&[])
        .iter()
        .map(|c| c.raw_bytes().len())
        .sum();
    let (client, docs) = a.disconnect().await;
    let a = edit_offline_and_reconnect(&relay, client, docs, id).await;
    // Re-sending the document would cost its changes (or at least its compressed save), in
    // either direction.
    assert!(
        a.bytes_sent * 2 < saved && a.bytes_sent * 10 < changes,
        "resuming sent {} bytes; the document saves to {saved} bytes, its changes are {changes}",
        a.bytes_sent
    );
    // Nor does the relay send the document back: it answers with its heads and a summary of
    // what it has (a Bloom filter), then acknowledges the new change.
    assert!(
        a.bytes_received * 2 < saved && a.bytes_received * 10 < changes,
        "resuming received {} bytes; the document saves to {saved} bytes, its changes are \
         {changes}",
        a.bytes_received
    );
    relay.stop().await;
}

/// A client that was disconnected sets the document's title to "offline edit", reconnects and
/// syncs until the relay has the edit.
async fn edit_offline_and_reconnect(
    relay: &Running,
    client: Client,
    mut docs: HashMap<DocumentId, AutoCommit>,
    id: DocumentId,
) -> NativePeer {
    docs.get_mut(&id)
        .expect("doc")
        .put(ROOT, "title", "offline edit")
        .expect("put");
    let mut a = NativePeer::connect_with(&relay.url, client, docs)
        .await
        .expect("reconnect");
    a.sync_until(WAIT, |p| p.in_sync(&id))
        .await
        .expect("resynced");
    a
}

/// Give a document a long history: `changes` edits of varied text.
fn write_history(doc: &mut AutoCommit, changes: u64) {
    let text = doc
        .put_object(ROOT, "notes", automerge::ObjType::Text)
        .expect("text");
    for i in 0..changes {
        let word = i.wrapping_mul(0x9E37_79B9_7F4A_7C15);
        doc.splice_text(&text, 0, 0, &format!("{word:x} "))
            .expect("splice");
        doc.commit();
    }
}

/// A client with `storage` (`None`: ephemeral) syncs a document with a long history, disconnects,
/// edits it offline and reconnects, to a relay restarted over the same data directory if
/// `restart`. The bytes the relay sent it on the reconnect, up to the acknowledgement of the edit.
async fn bytes_received_on_reconnect(storage: Option<&str>, restart: bool) -> usize {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut relay = start(dir.path(), Limits::default()).await;
    let id = new_id();
    let client = Client::new(PeerId::new("a"), storage.map(StorageId::new));
    let mut a = NativePeer::connect_with(&relay.url, client, HashMap::new())
        .await
        .expect("a");
    write_history(a.track(id), 300);
    a.push(id).await.expect("push");
    a.sync_until(WAIT, |p| p.in_sync(&id))
        .await
        .expect("synced");
    let (client, docs) = a.disconnect().await;
    // The relay keeps the state when it has seen the connection end.
    assert!(relay.relay.wait_closed(WAIT).await, "the connection ended");
    if restart {
        relay.stop().await;
        relay = start(dir.path(), Limits::default()).await;
    }
    let a = edit_offline_and_reconnect(&relay, client, docs, id).await;
    let received = a.bytes_received;
    let _b = reader(&relay, "b", id, Some("offline edit"), "the offline edit").await;
    relay.stop().await;
    received
}

#[tokio::test]
async fn a_durable_client_resumes_from_the_heads_it_shares_with_the_relay_even_after_a_restart() {
    let durable = bytes_received_on_reconnect(Some("browser"), false).await;
    let restarted = bytes_received_on_reconnect(Some("browser"), true).await;
    let ephemeral = bytes_received_on_reconnect(None, false).await;
    eprintln!(
        "bytes from the relay on a reconnect (300 changes): durable {durable}, after a restart \
         {restarted}, ephemeral {ephemeral}"
    );
    // An ephemeral client is sent a summary of the whole history (a Bloom filter, 10 bits a
    // change); a durable one only of what is newer than the heads it shares with the relay.
    assert!(
        durable + 300 <= ephemeral && restarted + 300 <= ephemeral,
        "durable {durable}, after a restart {restarted}, ephemeral {ephemeral}"
    );
}

#[tokio::test]
async fn corrupt_stored_data_is_quarantined_and_refilled_by_peers() {
    let dir = tempfile::tempdir().expect("tempdir");
    let relay = start(dir.path(), Limits::default()).await;
    let id = new_id();
    relay
        .store
        .put_raw_for_test(&id, b"not an automerge document")
        .expect("raw");
    let _a = writer(&relay, "a", id, "from a").await;
    relay.store.flush();
    assert_eq!(relay.store.quarantined_chunks(&id).expect("count"), 1);
    let _b = reader(&relay, "b", id, Some("from a"), "refilled").await;
    relay.stop().await;
}

#[tokio::test]
async fn the_relay_announces_its_durable_storage_id_kept_in_the_data_directory() {
    let dir = tempfile::tempdir().expect("tempdir");
    let first = {
        let relay = start(dir.path(), Limits::default()).await;
        let a = NativePeer::connect(&relay.url, "a").await.expect("a");
        let meta = a
            .relay_metadata()
            .cloned()
            .expect("the relay sent metadata");
        assert!(!meta.is_ephemeral, "the relay keeps what it is sent");
        drop(a);
        relay.stop().await;
        meta.storage_id.expect("a storage id")
    };
    let relay = start(dir.path(), Limits::default()).await;
    let a = NativePeer::connect(&relay.url, "a").await.expect("a");
    let again = a
        .relay_metadata()
        .and_then(|m| m.storage_id.clone())
        .expect("a storage id");
    assert_eq!(first, again, "the same data directory, the same storage");
    drop(a);
    relay.stop().await;

    let elsewhere = tempfile::tempdir().expect("tempdir");
    let relay = start(elsewhere.path(), Limits::default()).await;
    let b = NativePeer::connect(&relay.url, "b").await.expect("b");
    let other = b
        .relay_metadata()
        .and_then(|m| m.storage_id.clone())
        .expect("a storage id");
    assert_ne!(first, other, "another data directory is another storage");
    drop(b);
    relay.stop().await;
}

/// Bytes that do not compress: a document made of them costs its size on the wire.
fn noise(len: usize, seed: u64) -> Vec<u8> {
    let mut x = seed | 1;
    (0..len)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x as u8
        })
        .collect()
}

type RawWs = tokio_tungstenite::WebSocketStream<tokio::net::TcpStream>;

/// A client that joins, asks for `docs`, and then reads nothing more: its receive buffer is
/// small, so what the relay sends it soon backs up into the relay.
async fn non_reading_client(url: &str, docs: &[DocumentId]) -> (RawWs, Client) {
    let addr = url
        .trim_start_matches("ws://")
        .trim_end_matches("/sync")
        .parse()
        .expect("addr");
    let socket = tokio::net::TcpSocket::new_v4().expect("socket");
    socket.set_recv_buffer_size(4096).expect("small buffer");
    let tcp = socket.connect(addr).await.expect("connect");
    let (mut ws, _) = tokio_tungstenite::client_async(url, tcp)
        .await
        .expect("handshake");
    let mut client = Client::new(PeerId::new("slow"), None);
    ws.send(WsMessage::Binary(client.open().into()))
        .await
        .expect("join");
    loop {
        let msg = tokio::time::timeout(WAIT, ws.next())
            .await
            .expect("peer message in time")
            .expect("open")
            .expect("frame");
        if let WsMessage::Binary(b) = msg {
            assert_eq!(client.receive(&b).expect("peer"), Incoming::Ready);
            break;
        }
    }
    for id in docs {
        let frame = client
            .generate(*id, &AutoCommit::new().sync(), true)
            .expect("a request");
        ws.send(WsMessage::Binary(frame.into()))
            .await
            .expect("request");
    }
    (ws, client)
}

/// Read until the relay ends the connection; fails if it is still open after `WAIT`.
async fn read_to_the_end(ws: &mut RawWs) {
    let deadline = tokio::time::Instant::now() + WAIT;
    loop {
        match tokio::time::timeout_at(deadline, ws.next()).await {
            Err(_) => panic!("the relay left the connection open"),
            Ok(None | Some(Err(_)) | Some(Ok(WsMessage::Close(_)))) => return,
            Ok(Some(Ok(_))) => continue,
        }
    }
}

type Decoded = Result<repo_sync::Message, DecodeError>;

/// Read a raw connection until the relay closes it with a close frame, which must come within
/// `WAIT`: the last binary message before it, decoded (the `error` message saying why), and the
/// frame.
async fn until_closed<S>(ws: &mut S) -> (Option<Decoded>, Option<CloseFrame>)
where
    S: Stream<Item = Result<WsMessage, WsError>> + Unpin,
{
    let mut error = None;
    loop {
        match tokio::time::timeout(WAIT, ws.next())
            .await
            .expect("closed within the test's limit")
        {
            Some(Ok(WsMessage::Binary(b))) => error = Some(repo_sync::Message::decode(&b)),
            Some(Ok(WsMessage::Close(frame))) => return (error, frame),
            Some(Ok(_)) => continue,
            other => panic!("no close frame: {other:?}"),
        }
    }
}

async fn wait_for_connections(relay: &Running, n: usize, mut each: impl AsyncFnMut()) -> bool {
    let deadline = tokio::time::Instant::now() + Duration::from_secs(30);
    while tokio::time::Instant::now() < deadline {
        if relay.relay.connections() == n {
            return true;
        }
        each().await;
    }
    false
}

/// A document of 1 MB of noise, on the relay.
async fn big_document(relay: &Running) -> (NativePeer, DocumentId) {
    let id = new_id();
    let mut a = NativePeer::connect(&relay.url, "a").await.expect("a");
    a.track(id)
        .put(ROOT, "blob", noise(1 << 20, 1))
        .expect("put");
    a.push(id).await.expect("push");
    a.sync_until(WAIT, |p| p.in_sync(&id))
        .await
        .expect("on the relay");
    (a, id)
}

fn small_queue() -> Limits {
    Limits {
        queue: 4,
        queue_bytes: 256 * 1024,
        ..Limits::default()
    }
}

#[tokio::test]
async fn a_connection_that_does_not_read_what_others_send_is_ended() {
    let dir = tempfile::tempdir().expect("tempdir");
    let relay = start(dir.path(), small_queue()).await;
    let (mut a, id) = big_document(&relay).await;
    let (mut slow, _) = non_reading_client(&relay.url, &[id]).await;
    // A keeps editing; every change is passed on to the slow client, until its queue is full.
    let mut n = 0u64;
    let ended = wait_for_connections(&relay, 1, async || {
        n += 1;
        a.track(id)
            .put(ROOT, "blob", noise(64 * 1024, n + 1))
            .expect("put");
        a.push(id).await.expect("push");
        a.sync_until(WAIT, |p| p.in_sync(&id))
            .await
            .expect("a is not held up by the slow client");
    })
    .await;
    assert!(ended, "the slow connection is still open after {n} changes");
    read_to_the_end(&mut slow).await;

    // A carries on.
    a.track(id).put(ROOT, "title", "after").expect("put");
    a.push(id).await.expect("push");
    a.sync_until(WAIT, |p| p.in_sync(&id))
        .await
        .expect("a synced");
    let _b = reader(&relay, "b", id, Some("after"), "b got a's last change").await;
    relay.stop().await;
}

#[tokio::test]
async fn a_connection_that_does_not_read_its_own_answers_is_ended() {
    let dir = tempfile::tempdir().expect("tempdir");
    let relay = start(dir.path(), small_queue()).await;
    let (a, id) = big_document(&relay).await;
    drop(a);
    let (mut slow, mut client) = non_reading_client(&relay.url, &[id]).await;
    // Each request for an unknown document is answered `doc-unavailable`, queued behind the
    // large document the slow client does not read.
    let mut n = 0;
    let ended = wait_for_connections(&relay, 0, async || {
        n += 1;
        let frame = client
            .generate(new_id(), &AutoCommit::new().sync(), true)
            .expect("a request");
        let _ = tokio::time::timeout(
            Duration::from_millis(200),
            slow.send(WsMessage::Binary(frame.into())),
        )
        .await;
        tokio::time::sleep(Duration::from_millis(5)).await;
    })
    .await;
    assert!(
        ended,
        "the slow connection is still open after {n} requests"
    );
    read_to_the_end(&mut slow).await;
    relay.stop().await;
}

#[tokio::test]
async fn a_connection_that_never_joins_is_closed_after_the_join_deadline() {
    let dir = tempfile::tempdir().expect("tempdir");
    let limits = Limits {
        join_timeout: Duration::from_millis(300),
        ..Limits::default()
    };
    let relay = start(dir.path(), limits).await;
    let (mut silent, _) = tokio_tungstenite::connect_async(&relay.url)
        .await
        .expect("connect");
    // A peer that joined is not affected by the deadline.
    let id = new_id();
    let mut a = NativePeer::connect(&relay.url, "a").await.expect("a");

    let (error, close) = until_closed(&mut silent).await;
    match error {
        Some(Ok(repo_sync::Message::Error { message })) => {
            assert!(message.contains("no join message"), "{message}")
        }
        other => panic!("no error message before the close: {other:?}"),
    }
    let close = close.expect("a close frame with a code");
    assert_eq!(u16::from(close.code), 1008);

    tokio::time::sleep(Duration::from_millis(500)).await;
    a.track(id).put(ROOT, "title", "still here").expect("put");
    a.push(id).await.expect("push");
    a.sync_until(WAIT, |p| p.in_sync(&id))
        .await
        .expect("the joined peer carries on past the deadline");
    assert!(
        relay.relay.wait_closed_to(1, WAIT).await,
        "the silent connection ends, the joined one stays"
    );
    assert_eq!(relay.relay.connections(), 1);
    relay.stop().await;
}

#[tokio::test]
async fn a_connection_over_the_limit_is_refused_until_one_closes() {
    let dir = tempfile::tempdir().expect("tempdir");
    let limits = Limits {
        max_connections: 2,
        ..Limits::default()
    };
    let relay = start(dir.path(), limits).await;
    let a = NativePeer::connect(&relay.url, "a").await.expect("a");
    let _b = NativePeer::connect(&relay.url, "b").await.expect("b");
    let refused = match NativePeer::connect(&relay.url, "c").await {
        Ok(_) => panic!("a third connection was let in"),
        Err(e) => e.to_string(),
    };
    assert!(refused.contains("the relay is full"), "{refused}");
    // Over raw WebSocket: the close code says "try again later".
    let (mut raw, _) = tokio_tungstenite::connect_async(&relay.url)
        .await
        .expect("upgrade");
    let (_, close) = until_closed(&mut raw).await;
    let close = close.expect("a close frame");
    assert_eq!(u16::from(close.code), 1013);
    assert_eq!(relay.relay.connections(), 2);

    a.disconnect().await;
    assert!(relay.relay.wait_closed_to(1, WAIT).await);
    NativePeer::connect(&relay.url, "c")
        .await
        .expect("room again once one closed");
    relay.stop().await;
}

#[tokio::test]
async fn a_connection_may_sync_only_so_many_documents() {
    let dir = tempfile::tempdir().expect("tempdir");
    let limits = Limits {
        max_documents: 3,
        ..Limits::default()
    };
    let relay = start(dir.path(), limits).await;
    let mut a = NativePeer::connect(&relay.url, "a").await.expect("a");
    let ids: Vec<DocumentId> = (0..4u8)
        .map(|i| DocumentId::from_random([i + 1; 16]))
        .collect();
    for id in &ids[..3] {
        a.track(*id);
        a.push(*id).await.expect("request");
    }
    a.sync_until(WAIT, |p| {
        ids[..3].iter().all(|id| p.unavailable.contains(id))
    })
    .await
    .expect("three documents are fine");
    // Asking again for one of them is fine too.
    a.push(ids[0]).await.expect("again");
    a.track(ids[3]);
    a.push(ids[3]).await.expect("a fourth");
    let err = a
        .sync_until(WAIT, |_| false)
        .await
        .expect_err("closed")
        .to_string();
    assert!(err.contains("too many documents"), "{err}");
    relay.stop().await;
}

/// Log lines written by the relay, for tests of what it logs.
#[derive(Clone, Default)]
struct Logs(Arc<std::sync::Mutex<Vec<u8>>>);

impl std::io::Write for Logs {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

// One thread: the relay's tasks run where the test's log subscriber is installed.
#[tokio::test(flavor = "current_thread")]
async fn a_peer_that_leaves_is_logged_as_a_normal_close() {
    let logs = Logs::default();
    let subscriber = tracing_subscriber::fmt()
        .with_writer({
            let logs = logs.clone();
            move || logs.clone()
        })
        .with_max_level(tracing::Level::DEBUG)
        .with_ansi(false)
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);
    let dir = tempfile::tempdir().expect("tempdir");
    let relay = start(dir.path(), Limits::default()).await;
    let mut a = NativePeer::connect(&relay.url, "a").await.expect("a");
    a.send(
        repo_sync::Message::Leave {
            sender: PeerId::new("a"),
        }
        .encode(),
    )
    .await
    .expect("leave");
    let reason = a.closed_reason(WAIT).await.expect("closed");
    assert!(relay.relay.wait_closed(WAIT).await);
    let text =
        String::from_utf8_lossy(&logs.0.lock().unwrap_or_else(|p| p.into_inner())).into_owned();
    assert!(!text.contains("WARN"), "logged:\n{text}");
    assert!(text.contains("the peer left"), "logged:\n{text}");
    // And the relay closes its side normally (1000), not as a fault.
    assert_eq!(reason, "goodbye");
    relay.stop().await;
}
