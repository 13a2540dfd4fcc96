//! Deterministic multi-peer scenarios: a hub and several clients joined by an in-memory network,
//! run until no frame is in flight, then every peer's state is checked.

use automerge::transaction::Transactable;
use automerge::{AutoCommit, ReadDoc, ROOT};
use repo_sync::hub::StoreError;
use repo_sync::{Client, ConnId, DocStore, DocumentId, Hub, Incoming, Message, PeerId, StorageId};
use std::cell::RefCell;
use std::collections::{HashMap, HashSet, VecDeque};

#[derive(Default)]
struct MemStore {
    docs: RefCell<HashMap<DocumentId, Vec<u8>>>,
    quarantined: RefCell<HashMap<DocumentId, Vec<u8>>>,
    /// Whether it keeps peers' sync states (as the relay's store does); off, the hub's own
    /// memory is all there is.
    keeps_sync_states: bool,
    sync_states: RefCell<HashMap<(StorageId, DocumentId), Vec<u8>>>,
}

impl DocStore for MemStore {
    fn load(&self, id: &DocumentId) -> Result<Option<Vec<u8>>, StoreError> {
        Ok(self.docs.borrow().get(id).cloned())
    }
    fn append(&self, id: &DocumentId, changes: Vec<u8>) {
        self.docs
            .borrow_mut()
            .entry(*id)
            .or_default()
            .extend(changes);
    }
    fn quarantine(&self, id: &DocumentId, _reason: &str) {
        if let Some(bytes) = self.docs.borrow_mut().remove(id) {
            self.quarantined.borrow_mut().insert(*id, bytes);
        }
    }
    fn load_sync_state(
        &self,
        peer: &StorageId,
        id: &DocumentId,
    ) -> Result<Option<Vec<u8>>, StoreError> {
        Ok(self.sync_states.borrow().get(&(peer.clone(), *id)).cloned())
    }
    fn save_sync_state(&self, peer: &StorageId, id: &DocumentId, state: Vec<u8>) {
        if self.keeps_sync_states {
            self.sync_states
                .borrow_mut()
                .insert((peer.clone(), *id), state);
        }
    }
}

struct Peer {
    conn: ConnId,
    client: Client,
    docs: HashMap<DocumentId, AutoCommit>,
    connected: bool,
    unavailable: HashSet<DocumentId>,
    closed_with: Option<String>,
    bytes_sent: usize,
    /// Bytes of every frame the hub sent this peer.
    bytes_received: usize,
}

enum Frame {
    ToHub(ConnId, Vec<u8>),
    ToPeer(usize, Vec<u8>),
}

struct Net {
    hub: Hub,
    store: MemStore,
    peers: Vec<Peer>,
    queue: VecDeque<Frame>,
    next_conn: ConnId,
}

impl Net {
    fn new() -> Net {
        Net {
            hub: Hub::new(PeerId::new("relay"), StorageId::new("relay-storage")),
            store: MemStore::default(),
            peers: Vec::new(),
            queue: VecDeque::new(),
            next_conn: 1,
        }
    }

    /// A peer with durable storage of its own, named like the peer.
    fn add_peer(&mut self, name: &str) -> usize {
        self.add_peer_with(name, Some(StorageId::new(name)))
    }

    /// A peer with this storage (`None`: an ephemeral peer).
    fn add_peer_with(&mut self, name: &str, storage: Option<StorageId>) -> usize {
        self.peers.push(Peer {
            conn: 0,
            client: Client::new(PeerId::new(name), storage),
            docs: HashMap::new(),
            connected: false,
            unavailable: HashSet::new(),
            closed_with: None,
            bytes_sent: 0,
            bytes_received: 0,
        });
        self.peers.len() - 1
    }

    fn connect(&mut self, p: usize) {
        let conn = self.next_conn;
        self.next_conn += 1;
        self.hub.connect(conn);
        let peer = &mut self.peers[p];
        peer.conn = conn;
        peer.connected = true;
        peer.closed_with = None;
        let join = peer.client.open();
        self.send_to_hub(p, join);
    }

    fn disconnect(&mut self, p: usize) {
        let peer = &mut self.peers[p];
        peer.connected = false;
        peer.client.closed();
        self.hub.disconnect(peer.conn, &self.store);
        // Frames in flight on a closed socket are lost.
        let conn = peer.conn;
        self.queue.retain(|f| match f {
            Frame::ToHub(c, _) => *c != conn,
            Frame::ToPeer(i, _) => *i != p,
        });
    }

    fn send_to_hub(&mut self, p: usize, frame: Vec<u8>) {
        let peer = &mut self.peers[p];
        peer.bytes_sent += frame.len();
        self.queue.push_back(Frame::ToHub(peer.conn, frame));
    }

    fn raw_to_hub(&mut self, p: usize, frame: Vec<u8>) {
        self.queue
            .push_back(Frame::ToHub(self.peers[p].conn, frame));
    }

    /// Announce local changes to every document of peer `p`.
    fn flush(&mut self, p: usize) {
        let ids: Vec<DocumentId> = self.peers[p].docs.keys().copied().collect();
        for id in ids {
            self.flush_doc(p, id);
        }
    }

    fn flush_doc(&mut self, p: usize, id: DocumentId) {
        let peer = &mut self.peers[p];
        let Some(doc) = peer.docs.get_mut(&id) else {
            return;
        };
        let empty = doc.get_heads().is_empty();
        let frame = peer.client.generate(id, &doc.sync(), empty);
        if let Some(frame) = frame {
            self.send_to_hub(p, frame);
        }
    }

    fn run(&mut self) {
        let mut steps = 0;
        while let Some(frame) = self.queue.pop_front() {
            steps += 1;
            assert!(steps < 10_000, "the network did not settle");
            match frame {
                Frame::ToHub(conn, bytes) => {
                    let fx = self.hub.receive(conn, &bytes, &self.store);
                    for (to, out) in fx.send {
                        if let Some(i) = self.peers.iter().position(|p| p.conn == to && p.connected)
                        {
                            self.queue.push_back(Frame::ToPeer(i, out));
                        }
                    }
                    if let Some(reason) = fx.close {
                        if let Some(i) = self
                            .peers
                            .iter()
                            .position(|p| p.conn == conn && p.connected)
                        {
                            // Deliver what was sent before the close (the error message), then close.
                            self.deliver_pending(i);
                            self.disconnect(i);
                            self.peers[i].closed_with = Some(reason);
                        }
                    }
                }
                Frame::ToPeer(i, bytes) => {
                    self.peers[i].bytes_received += bytes.len();
                    self.peer_receive(i, &bytes)
                }
            }
        }
    }

    fn deliver_pending(&mut self, i: usize) {
        let mine: Vec<Vec<u8>> = self
            .queue
            .iter()
            .filter_map(|f| match f {
                Frame::ToPeer(p, b) if *p == i => Some(b.clone()),
                _ => None,
            })
            .collect();
        for b in mine {
            let _ = self.peers[i].client.receive(&b);
        }
    }

    fn peer_receive(&mut self, i: usize, bytes: &[u8]) {
        let incoming = self.peers[i]
            .client
            .receive(bytes)
            .expect("client accepts relay frames");
        match incoming {
            Incoming::Ready => self.flush(i),
            Incoming::Sync { document, data } => {
                let peer = &mut self.peers[i];
                let doc = peer.docs.entry(document).or_default();
                peer.client
                    .apply(document, &mut doc.sync(), &data)
                    .expect("apply");
                self.flush_doc(i, document);
            }
            Incoming::Unavailable(d) => {
                self.peers[i].unavailable.insert(d);
            }
            Incoming::Ephemeral { .. } | Incoming::Nothing => {}
        }
    }

    fn doc(&mut self, p: usize, id: DocumentId) -> &mut AutoCommit {
        self.peers[p].docs.entry(id).or_default()
    }

    fn title(&self, p: usize, id: DocumentId) -> Option<String> {
        self.value(p, id, "title")
    }

    /// The string under `key` at the root of peer `p`'s copy of the document.
    fn value(&self, p: usize, id: DocumentId, key: &str) -> Option<String> {
        let doc = self.peers[p].docs.get(&id)?;
        match doc.get(ROOT, key).ok()?? {
            (automerge::Value::Scalar(s), _) => s.as_str().map(str::to_owned),
            _ => None,
        }
    }
}

fn doc_id(n: u8) -> DocumentId {
    DocumentId::from_random([n; 16])
}

/// A network with one peer, "a" with `storage`, which has synced a document of `changes`
/// changes (see [`write_history`]) with the hub.
fn synced_with_history(storage: Option<StorageId>, changes: u64) -> (Net, usize, DocumentId) {
    let mut net = Net::new();
    let a = net.add_peer_with("a", storage);
    let id = doc_id(6);
    write_history(net.doc(a, id), changes);
    net.connect(a);
    net.run();
    (net, a, id)
}

/// Disconnected peer `p` sets the title of `id` to "offline edit", then reconnects and syncs;
/// its byte counters count from the reconnect.
fn edit_offline_and_reconnect(net: &mut Net, p: usize, id: DocumentId) {
    net.doc(p, id)
        .put(ROOT, "title", "offline edit")
        .expect("put");
    net.peers[p].bytes_sent = 0;
    net.peers[p].bytes_received = 0;
    net.connect(p);
    net.run();
}

/// Give a document a long history: `changes` edits of varied text, so that the saved document
/// does not compress to nothing.
fn write_history(doc: &mut AutoCommit, changes: u64) {
    let text = doc
        .put_object(ROOT, "notes", automerge::ObjType::Text)
        .expect("text");
    for i in 0..changes {
        let word = i.wrapping_mul(0x9E37_79B9_7F4A_7C15);
        doc.splice_text(&text, 0, 0, &format!("{word:x} {} ", word.rotate_left(17)))
            .expect("splice");
        doc.commit();
    }
}

#[test]
fn a_change_by_one_client_reaches_the_other() {
    let mut net = Net::new();
    let (a, b) = (net.add_peer("a"), net.add_peer("b"));
    let id = doc_id(1);
    net.doc(a, id).put(ROOT, "title", "v1").expect("put");
    net.connect(a);
    net.run();
    // B only knows the id (from a link): its empty copy asks for the document.
    net.doc(b, id);
    net.connect(b);
    net.run();
    assert_eq!(net.title(b, id).as_deref(), Some("v1"));
    // And from then on, edits flow both ways.
    net.doc(b, id).put(ROOT, "title", "v2").expect("put");
    net.flush(b);
    net.run();
    assert_eq!(net.title(a, id).as_deref(), Some("v2"));
    let heads = net.doc(a, id).get_heads();
    assert!(net.peers[a].client.in_sync(&id, &heads));
}

#[test]
fn an_unknown_document_is_unavailable_until_someone_brings_it() {
    let mut net = Net::new();
    let (a, b) = (net.add_peer("a"), net.add_peer("b"));
    let id = doc_id(2);
    net.doc(b, id);
    net.connect(b);
    net.run();
    assert!(net.peers[b].unavailable.contains(&id));
    assert_eq!(net.title(b, id), None);
    net.doc(a, id).put(ROOT, "title", "arrived").expect("put");
    net.connect(a);
    net.run();
    assert_eq!(net.title(b, id).as_deref(), Some("arrived"));
}

#[test]
fn a_document_is_not_announced_to_peers_that_did_not_ask() {
    let mut net = Net::new();
    let (a, b) = (net.add_peer("a"), net.add_peer("b"));
    let id = doc_id(3);
    net.doc(a, id).put(ROOT, "title", "private").expect("put");
    net.connect(a);
    net.connect(b);
    net.run();
    assert!(!net.peers[b].docs.contains_key(&id));
}

#[test]
fn a_malformed_frame_closes_only_its_own_connection() {
    let mut net = Net::new();
    let (a, b, c) = (net.add_peer("a"), net.add_peer("b"), net.add_peer("c"));
    let id = doc_id(4);
    net.doc(a, id).put(ROOT, "title", "v1").expect("put");
    net.doc(b, id);
    for p in [a, b, c] {
        net.connect(p);
    }
    net.run();
    net.raw_to_hub(c, b"\xff\x00 not cbor".to_vec());
    net.run();
    let reason = net.peers[c].closed_with.clone().expect("c was closed");
    assert!(reason.starts_with("malformed message"), "{reason}");
    assert!(!net.peers[c].connected);
    net.doc(a, id).put(ROOT, "title", "v2").expect("put");
    net.flush(a);
    net.run();
    assert_eq!(net.title(b, id).as_deref(), Some("v2"));
    assert!(net.peers[a].connected && net.peers[b].connected);
}

#[test]
fn a_corrupt_sync_message_closes_the_connection_and_keeps_the_document() {
    let mut net = Net::new();
    let (a, c) = (net.add_peer("a"), net.add_peer("c"));
    let id = doc_id(5);
    net.doc(a, id).put(ROOT, "title", "kept").expect("put");
    net.connect(a);
    net.connect(c);
    net.run();
    let bad = Message::Sync(repo_sync::DocMessage {
        sender: PeerId::new("c"),
        target: PeerId::new("relay"),
        document: id,
        data: vec![0x42, 1, 2, 3],
    });
    net.raw_to_hub(c, bad.encode());
    net.run();
    let reason = net.peers[c].closed_with.clone().expect("closed");
    assert!(reason.contains("corrupt sync message"), "{reason}");
    let stored = net.store.load(&id).expect("load").expect("stored");
    let doc = AutoCommit::load(&stored).expect("loads");
    assert!(doc.get(ROOT, "title").expect("get").is_some());
}

#[test]
fn the_handshake_comes_first_and_must_agree_on_version_1() {
    let mut net = Net::new();
    let (a, b) = (net.add_peer("a"), net.add_peer("b"));
    net.hub.connect(50);
    net.peers[a].conn = 50;
    net.peers[a].connected = true;
    let early = Message::Leave {
        sender: PeerId::new("a"),
    };
    let fx = net.hub.receive(50, &early.encode(), &net.store);
    assert_eq!(
        fx.close.as_deref(),
        Some("expected a join message first, got \"leave\"")
    );
    net.hub.connect(51);
    let join = Message::Join {
        sender: PeerId::new("b"),
        versions: vec!["2".into()],
        metadata: None,
    };
    let fx = net.hub.receive(51, &join.encode(), &net.store);
    assert!(fx
        .close
        .expect("closed")
        .contains("unsupported protocol versions"));
    let _ = b;
}

#[test]
fn a_reconnect_resumes_without_resending_the_document() {
    let (mut net, a, id) = synced_with_history(Some(StorageId::new("a")), 400);
    let doc_size = net.doc(a, id).save().len();
    net.disconnect(a);
    edit_offline_and_reconnect(&mut net, a, id);
    let resumed = net.peers[a].bytes_sent;
    assert!(
        resumed * 10 < doc_size,
        "resuming sent {resumed} bytes for a document of {doc_size} bytes"
    );
    // And the relay has the offline edit.
    let b = net.add_peer("b");
    net.doc(b, id);
    net.connect(b);
    net.run();
    assert_eq!(net.title(b, id).as_deref(), Some("offline edit"));
}

#[test]
fn a_restarted_hub_serves_documents_from_its_store() {
    let mut net = Net::new();
    let a = net.add_peer("a");
    let id = doc_id(7);
    net.doc(a, id).put(ROOT, "title", "durable").expect("put");
    net.connect(a);
    net.run();
    net.disconnect(a);
    assert_eq!(net.hub.documents_in_memory(), 0);
    net.hub = Hub::new(PeerId::new("relay-2"), StorageId::new("relay-storage"));
    let b = net.add_peer("b");
    net.doc(b, id);
    net.connect(b);
    net.run();
    assert_eq!(net.title(b, id).as_deref(), Some("durable"));
}

#[test]
fn corrupt_stored_bytes_are_quarantined_and_the_document_refilled_by_its_peers() {
    let mut net = Net::new();
    let a = net.add_peer("a");
    let id = doc_id(8);
    net.store
        .docs
        .borrow_mut()
        .insert(id, b"definitely not automerge".to_vec());
    net.doc(a, id).put(ROOT, "title", "from a").expect("put");
    net.connect(a);
    net.run();
    assert_eq!(
        net.store.quarantined.borrow().get(&id).map(Vec::as_slice),
        Some(&b"definitely not automerge"[..])
    );
    let stored = net.store.load(&id).expect("load").expect("refilled");
    let doc = AutoCommit::load(&stored).expect("loads");
    assert!(doc.get(ROOT, "title").expect("get").is_some());
}

#[test]
fn ephemeral_messages_reach_the_other_peers_of_the_document_only() {
    let mut net = Net::new();
    let (a, b, c) = (net.add_peer("a"), net.add_peer("b"), net.add_peer("c"));
    let id = doc_id(9);
    net.doc(a, id).put(ROOT, "title", "x").expect("put");
    net.doc(b, id);
    for p in [a, b, c] {
        net.connect(p);
    }
    net.run();
    let frame = net.peers[a]
        .client
        .ephemeral(id, "s1", vec![1, 2, 3])
        .expect("ready");
    let fx = net.hub.receive(net.peers[a].conn, &frame, &net.store);
    let targets: Vec<ConnId> = fx.send.iter().map(|(c, _)| *c).collect();
    assert_eq!(targets, vec![net.peers[b].conn]);
    let got = net.peers[b].client.receive(&fx.send[0].1).expect("decodes");
    assert_eq!(
        got,
        Incoming::Ephemeral {
            document: id,
            sender: PeerId::new("a"),
            data: vec![1, 2, 3]
        }
    );
}

#[test]
fn a_rejected_sync_message_leaves_the_hubs_copy_and_its_store_alike() {
    use automerge::ActorId;
    let mut net = Net::new();
    let (a, c) = (net.add_peer("a"), net.add_peer("c"));
    let id = doc_id(10);
    net.doc(a, id).put(ROOT, "title", "base").expect("put");
    net.connect(a);
    net.connect(c);
    net.run();
    // Two different changes with the same actor and sequence number: the first is fine on its
    // own, the second contradicts it.
    let base = net.doc(a, id).clone();
    let change = |value: &str| {
        let mut fork = base.clone().with_actor(ActorId::from(vec![7u8; 16]));
        let heads = fork.get_heads();
        fork.put(ROOT, "title", value).expect("put");
        fork.commit();
        fork.save_after(&heads)
    };
    let message = automerge::sync::Message {
        heads: vec![],
        need: vec![],
        have: vec![],
        changes: vec![change("one"), change("two")].into(),
        flags: None,
        version: automerge::sync::MessageVersion::V1,
    };
    net.raw_to_hub(
        c,
        Message::Sync(repo_sync::DocMessage {
            sender: PeerId::new("c"),
            target: PeerId::new("relay"),
            document: id,
            data: message.encode(),
        })
        .encode(),
    );
    net.run();
    let reason = net.peers[c].closed_with.clone().expect("closed");
    assert!(reason.contains("rejected"), "{reason}");

    // What the hub holds in memory (as a new peer sees it) is what its store holds.
    let stored = net.store.load(&id).expect("load").expect("stored");
    let stored = AutoCommit::load(&stored).expect("loads").get_heads();
    let b = net.add_peer("b");
    net.doc(b, id);
    net.connect(b);
    net.run();
    assert_eq!(net.doc(b, id).get_heads(), stored);
}

/// How many bytes the hub sends a peer with `storage` that syncs a document with a long history,
/// disconnects, edits it offline and reconnects; `restart`: the hub is restarted meanwhile (over
/// a store that keeps sync states if `store_keeps`). Checks that the relay gets the edit.
fn bytes_received_on_reconnect(
    storage: Option<StorageId>,
    store_keeps: bool,
    restart: bool,
) -> usize {
    let (mut net, p, id) = synced_with_history(storage, 400);
    net.store.keeps_sync_states = store_keeps;
    net.disconnect(p);
    if restart {
        net.hub = Hub::new(PeerId::new("relay-2"), StorageId::new("relay-storage"));
    }
    edit_offline_and_reconnect(&mut net, p, id);
    let received = net.peers[p].bytes_received;
    let reader = net.add_peer("reader");
    net.doc(reader, id);
    net.connect(reader);
    net.run();
    assert_eq!(net.title(reader, id).as_deref(), Some("offline edit"));
    assert_eq!(net.doc(reader, id).get_heads(), net.doc(p, id).get_heads());
    received
}

#[test]
fn a_durable_peer_resumes_from_the_heads_it_shares_with_the_relay() {
    let kept = bytes_received_on_reconnect(Some(StorageId::new("p")), false, false);
    // An ephemeral peer gets a fresh state: the relay's first message summarises the whole
    // history (a Bloom filter of every change), since it cannot know what the peer still has.
    let fresh = bytes_received_on_reconnect(None, false, false);
    eprintln!("bytes from the relay on a reconnect: {kept} (durable), {fresh} (ephemeral)");
    // The summary it is spared costs over a byte per change (a Bloom filter of 10 bits each);
    // the rest, the same for both, is the handshake, the relay's heads and its acknowledgement.
    assert!(
        kept + 400 <= fresh,
        "a durable peer got {kept} bytes on a reconnect, an ephemeral one {fresh}"
    );
}

#[test]
fn a_restarted_hub_resumes_from_the_sync_states_in_its_store() {
    let persisted = bytes_received_on_reconnect(Some(StorageId::new("p")), true, true);
    let forgotten = bytes_received_on_reconnect(Some(StorageId::new("p")), false, true);
    assert!(
        persisted + 400 <= forgotten,
        "after a restart: {persisted} bytes with the kept state, {forgotten} without"
    );
}

#[test]
fn only_durable_peers_have_their_sync_states_kept_and_only_so_many() {
    let mut net = Net::new();
    net.hub = Hub::new(PeerId::new("relay"), StorageId::new("relay-storage")).with_kept_states(2);
    let e = net.add_peer_with("e", None);
    let d = net.add_peer("d");
    for n in 40..43 {
        net.doc(e, doc_id(n)).put(ROOT, "title", "x").expect("put");
        net.doc(d, doc_id(n)).put(ROOT, "title", "y").expect("put");
    }
    net.connect(e);
    net.run();
    net.disconnect(e);
    assert_eq!(
        net.hub.kept_states(),
        0,
        "an ephemeral peer's states are not kept"
    );
    net.connect(d);
    net.run();
    net.disconnect(d);
    assert_eq!(
        net.hub.kept_states(),
        2,
        "three documents, at most two states"
    );
}

/// Peer `p` is disconnected; it loses its copy of `id` and its sync states with the relay, as
/// a browser whose storage was cleared, but keeps its storage id.
fn lose_data(net: &mut Net, p: usize, id: DocumentId) {
    let name = net.peers[p].client.peer_id().clone();
    net.peers[p].client = Client::new(name.clone(), Some(StorageId::new(name.as_str())));
    net.peers[p].docs.remove(&id);
}

#[test]
fn a_peer_that_lost_its_data_gets_the_whole_document_again() {
    for edit_before_reconnecting in [false, true] {
        let (mut net, a, id) = synced_with_history(Some(StorageId::new("a")), 200);
        let everything = net.doc(a, id).get_heads();
        net.disconnect(a);
        lose_data(&mut net, a, id);
        // With an edit, the peer's heads are unknown to the relay, which keeps the old shared
        // heads: the peer, lacking them, answers with a reset and is sent everything.
        if edit_before_reconnecting {
            net.doc(a, id).put(ROOT, "title", "anew").expect("put");
        } else {
            net.doc(a, id);
        }
        net.connect(a);
        net.run();
        let doc = net.doc(a, id);
        for head in &everything {
            assert!(
                doc.get_change_by_hash(head).is_some(),
                "the peer got its history back (edit first: {edit_before_reconnecting})"
            );
        }
        assert_eq!(
            doc.get_changes(&[]).len(),
            200 + usize::from(edit_before_reconnecting)
        );
    }
}

#[test]
fn two_tabs_with_one_storage_id_each_sync_and_converge() {
    let mut net = Net::new();
    let browser = StorageId::new("browser");
    let t1 = net.add_peer_with("tab-1", Some(browser.clone()));
    let t2 = net.add_peer_with("tab-2", Some(browser));
    let id = doc_id(32);
    write_history(net.doc(t1, id), 100);
    net.connect(t1);
    net.run();
    net.doc(t2, id);
    net.connect(t2);
    net.run();
    // Both connected at once, each with its own live state: edits flow both ways.
    net.doc(t1, id).put(ROOT, "one", "from tab 1").expect("put");
    net.doc(t2, id).put(ROOT, "two", "from tab 2").expect("put");
    net.flush(t1);
    net.flush(t2);
    net.run();
    assert_eq!(net.value(t2, id, "one").as_deref(), Some("from tab 1"));
    assert_eq!(net.value(t1, id, "two").as_deref(), Some("from tab 2"));

    // Tab 1 goes offline; tab 2 edits on and leaves last, so the state kept for the browser
    // names heads that tab 1 has never seen. Tab 1 edits offline and comes back with it.
    net.disconnect(t1);
    net.doc(t2, id)
        .put(ROOT, "title", "tab 2, later")
        .expect("put");
    net.flush(t2);
    net.run();
    net.disconnect(t2);
    net.doc(t1, id)
        .put(ROOT, "offline", "tab 1, offline")
        .expect("put");
    net.connect(t1);
    net.run();
    assert_eq!(net.title(t1, id).as_deref(), Some("tab 2, later"));
    net.connect(t2);
    net.run();
    assert_eq!(
        net.value(t2, id, "offline").as_deref(),
        Some("tab 1, offline")
    );
    let heads = net.doc(t1, id).get_heads();
    assert_eq!(net.doc(t2, id).get_heads(), heads);
    let reader = net.add_peer("reader");
    net.doc(reader, id);
    net.connect(reader);
    net.run();
    assert_eq!(net.doc(reader, id).get_heads(), heads);
}

#[test]
fn a_kept_state_that_does_not_decode_or_that_the_relay_cannot_back_is_dropped() {
    for corrupt_document in [false, true] {
        let (mut net, a, id) = synced_with_history(Some(StorageId::new("a")), 50);
        net.store.keeps_sync_states = true;
        net.disconnect(a);
        net.hub = Hub::new(PeerId::new("relay-2"), StorageId::new("relay-storage"));
        if corrupt_document {
            // The relay's copy is quarantined when it loads: the kept heads name changes it
            // no longer has.
            net.store
                .docs
                .borrow_mut()
                .insert(id, b"not automerge".to_vec());
        } else {
            net.store
                .sync_states
                .borrow_mut()
                .insert((StorageId::new("a"), id), vec![0x43, 0xff, 0xff]);
        }
        net.doc(a, id).put(ROOT, "title", "after").expect("put");
        net.connect(a);
        net.run();
        assert!(
            net.peers[a].connected,
            "corrupt document: {corrupt_document}"
        );
        let reader = net.add_peer("reader");
        net.doc(reader, id);
        net.connect(reader);
        net.run();
        assert_eq!(net.doc(reader, id).get_heads(), net.doc(a, id).get_heads());
        assert_eq!(net.title(reader, id).as_deref(), Some("after"));
    }
}
