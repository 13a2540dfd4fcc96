//! The relay's side of the protocol: a peer that keeps every document it is sent and passes
//! changes on to every other peer syncing the same document.
//!
//! The hub is content-agnostic: it runs Automerge's sync protocol on whatever document it is
//! given and never reads what is inside. It has no socket and no disk: frames come in through
//! [`Hub::receive`], what to send and whether to close comes out as [`Effects`], and documents
//! are loaded and persisted through a [`DocStore`].
//!
//! Resuming: a peer that announces durable storage (`storageId`, not ephemeral) gets its sync
//! state for a document kept when it stops syncing it (see [`crate::resume`]), in memory and
//! through the store, and its next connection starts from it: the first message then summarises
//! only the changes since the heads both sides share, not the whole history.
//!
//! Access: a document id is the capability. The hub answers only about the documents a peer
//! names, and never announces one to a peer that did not ask for it.

use crate::ids::{DocumentId, PeerId, StorageId};
use crate::message::{DocMessage, Message, PeerMetadata};
use crate::resume::{KeptStates, DEFAULT_KEPT_STATES, MAX_STORAGE_ID_LEN};
use crate::PROTOCOL_VERSION;
use automerge::sync::{self, SyncDoc};
use automerge::Automerge;
use std::collections::{HashMap, HashSet};
use thiserror::Error;

/// One connection to the hub, numbered by whoever owns the sockets.
pub type ConnId = u64;

/// A storage failure.
#[derive(Debug, Clone, Error)]
#[error("storage: {0}")]
pub struct StoreError(pub String);

/// Durable storage for the hub's documents.
///
/// `append` may write in the background, but a `load` that follows it must see what it
/// appended: the hub drops idle documents from memory and loads them again on demand.
pub trait DocStore {
    /// The saved bytes of a document (saves and incremental changes, concatenated), if any.
    fn load(&self, id: &DocumentId) -> Result<Option<Vec<u8>>, StoreError>;
    /// Persist changes made to a document (the bytes of `Automerge::save_after`).
    fn append(&self, id: &DocumentId, changes: Vec<u8>);
    /// The stored bytes could not be loaded: keep them aside, out of the way of new writes.
    fn quarantine(&self, id: &DocumentId, reason: &str);
    /// The store's own id, the same every time the same storage is opened: peers announce it
    /// (`storageId`) so that others can keep what they know this storage holds. `None` for a
    /// store with no lasting identity.
    fn storage_id(&self) -> Option<StorageId> {
        None
    }
    /// The sync state kept for the peer with storage `peer` and document `id` (the bytes of
    /// `automerge::sync::State::encode`), if the store keeps them. Bytes that do not decode
    /// are ignored by the hub.
    fn load_sync_state(
        &self,
        _peer: &StorageId,
        _id: &DocumentId,
    ) -> Result<Option<Vec<u8>>, StoreError> {
        Ok(None)
    }
    /// Keep a durable peer's sync state for a document, replacing the one kept before. May
    /// write in the background: the hub reads its own copy first.
    fn save_sync_state(&self, _peer: &StorageId, _id: &DocumentId, _state: Vec<u8>) {}
}

/// What the owner of the sockets must do after a frame.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Effects {
    /// Frames to send, in order, to each connection.
    pub send: Vec<(ConnId, Vec<u8>)>,
    /// Close the connection the frame came from, for this reason (already sent as an `error`
    /// message where the protocol calls for one).
    pub close: Option<String>,
    /// The close is the peer's own `leave`: a normal end, not a fault.
    pub left: bool,
}

struct Conn {
    /// The remote peer, once it has sent `join`.
    remote: Option<PeerId>,
    /// The peer's storage, if it announced a durable one: its sync states are kept under it.
    storage: Option<StorageId>,
    docs: HashSet<DocumentId>,
}

struct HubDoc {
    doc: Automerge,
    /// A sync state for every connection syncing this document.
    peers: HashMap<ConnId, sync::State>,
}

/// The relay's protocol state: connections, and the documents they are syncing.
pub struct Hub {
    me: PeerId,
    storage: StorageId,
    /// The most documents one connection may sync.
    max_documents: usize,
    conns: HashMap<ConnId, Conn>,
    docs: HashMap<DocumentId, HubDoc>,
    /// Durable peers' sync states between their connections.
    kept: KeptStates,
}

impl Hub {
    pub fn new(me: PeerId, storage: StorageId) -> Hub {
        Hub {
            me,
            storage,
            max_documents: usize::MAX,
            conns: HashMap::new(),
            docs: HashMap::new(),
            kept: KeptStates::new(DEFAULT_KEPT_STATES),
        }
    }

    /// Limit how many documents one connection may request or sync: one more is answered with
    /// an `error` message and the connection is closed.
    pub fn with_document_limit(mut self, max_documents: usize) -> Hub {
        self.max_documents = max_documents;
        self
    }

    /// Keep at most `max` durable peers' sync states in memory (the oldest goes first); the
    /// store may keep more.
    pub fn with_kept_states(mut self, max: usize) -> Hub {
        self.kept = KeptStates::new(max);
        self
    }

    /// Whether the peer on `conn` has completed the handshake.
    pub fn is_joined(&self, conn: ConnId) -> bool {
        self.conns.get(&conn).is_some_and(|c| c.remote.is_some())
    }

    pub fn peer_id(&self) -> &PeerId {
        &self.me
    }

    /// A socket opened; the peer must send `join` first.
    pub fn connect(&mut self, conn: ConnId) {
        self.conns.insert(
            conn,
            Conn {
                remote: None,
                storage: None,
                docs: HashSet::new(),
            },
        );
    }

    /// A socket closed. A durable peer's sync states are kept for its next connection;
    /// documents no connection is syncing leave memory (they are in the store).
    pub fn disconnect(&mut self, conn: ConnId, store: &dyn DocStore) {
        let Some(c) = self.conns.remove(&conn) else {
            return;
        };
        for id in c.docs {
            if let Some(entry) = self.docs.get_mut(&id) {
                if let (Some(state), Some(peer)) = (entry.peers.remove(&conn), &c.storage) {
                    let bytes = state.encode();
                    store.save_sync_state(peer, &id, bytes.clone());
                    self.kept.keep(peer, &id, bytes);
                }
                if entry.peers.is_empty() {
                    self.docs.remove(&id);
                }
            }
        }
    }

    /// How many durable peers' sync states are kept in memory (for tests and metrics).
    pub fn kept_states(&self) -> usize {
        self.kept.len()
    }

    /// How many documents are in memory (for tests and metrics).
    pub fn documents_in_memory(&self) -> usize {
        self.docs.len()
    }

    /// Handle one frame from `conn`.
    pub fn receive(&mut self, conn: ConnId, frame: &[u8], store: &dyn DocStore) -> Effects {
        let mut fx = Effects::default();
        let joined = match self.conns.get(&conn) {
            Some(c) => c.remote.is_some(),
            None => {
                fx.close = Some("unknown connection".into());
                return fx;
            }
        };
        let msg = match Message::decode(frame) {
            Ok(m) => m,
            Err(e) => return self.fail(conn, format!("malformed message: {e}")),
        };
        match msg {
            Message::Join {
                sender,
                versions,
                metadata,
            } if !joined => {
                if !versions.iter().any(|v| v == PROTOCOL_VERSION) {
                    return self.fail(
                        conn,
                        format!(
                            "unsupported protocol versions {versions:?}; this relay speaks \"1\""
                        ),
                    );
                }
                let reply = Message::Peer {
                    sender: self.me.clone(),
                    target: sender.clone(),
                    version: PROTOCOL_VERSION.into(),
                    metadata: Some(PeerMetadata::durable(&self.storage)),
                };
                if let Some(c) = self.conns.get_mut(&conn) {
                    c.remote = Some(sender);
                    c.storage = metadata
                        .filter(|m| !m.is_ephemeral)
                        .and_then(|m| m.storage_id)
                        .filter(|s| !s.is_empty() && s.len() <= MAX_STORAGE_ID_LEN)
                        .map(StorageId::new);
                }
                fx.send.push((conn, reply.encode()));
            }
            other if !joined => {
                return self.fail(
                    conn,
                    format!("expected a join message first, got {:?}", other.kind()),
                );
            }
            Message::Request(m) => return self.sync_doc(conn, m, true, store),
            Message::Sync(m) => return self.sync_doc(conn, m, false, store),
            Message::Ephemeral {
                sender,
                document,
                count,
                session,
                data,
                ..
            } => {
                // Presence and the like: pass on to the other peers of the document, unstored.
                if let Some(entry) = self.docs.get(&document) {
                    if entry.peers.contains_key(&conn) {
                        for peer in entry.peers.keys().filter(|p| **p != conn) {
                            if let Some(target) = self.remote_of(*peer) {
                                let forward = Message::Ephemeral {
                                    sender: sender.clone(),
                                    target,
                                    document,
                                    count,
                                    session: session.clone(),
                                    data: data.clone(),
                                };
                                fx.send.push((*peer, forward.encode()));
                            }
                        }
                    }
                }
            }
            Message::Leave { .. } => {
                fx.close = Some("the peer left".into());
                fx.left = true;
            }
            Message::Error { message } => fx.close = Some(format!("the peer reported: {message}")),
            Message::Join { .. } | Message::Peer { .. } => {
                return self.fail(
                    conn,
                    "unexpected handshake message after the handshake".into(),
                )
            }
            // The hub never asks peers for documents, so it has no use for their answers; remote
            // heads gossip is optional in the protocol.
            Message::DocUnavailable { .. } | Message::Other { .. } => {}
        }
        fx
    }

    fn remote_of(&self, conn: ConnId) -> Option<PeerId> {
        self.conns.get(&conn).and_then(|c| c.remote.clone())
    }

    /// Send an `error` message and close.
    fn fail(&mut self, conn: ConnId, reason: String) -> Effects {
        Effects {
            send: vec![(
                conn,
                Message::Error {
                    message: reason.clone(),
                }
                .encode(),
            )],
            close: Some(reason),
            left: false,
        }
    }

    fn sync_doc(
        &mut self,
        conn: ConnId,
        m: DocMessage,
        request: bool,
        store: &dyn DocStore,
    ) -> Effects {
        let mut fx = Effects::default();
        let id = m.document;
        let sync_msg = match sync::Message::decode(&m.data) {
            Ok(s) => s,
            Err(e) => return self.fail(conn, format!("corrupt sync message for {id}: {e}")),
        };
        let over_limit = self
            .conns
            .get(&conn)
            .is_some_and(|c| !c.docs.contains(&id) && c.docs.len() >= self.max_documents);
        if over_limit {
            return self.fail(
                conn,
                format!(
                    "too many documents: one connection may sync at most {}",
                    self.max_documents
                ),
            );
        }
        if !self.docs.contains_key(&id) {
            let doc = match store.load(&id) {
                Ok(Some(bytes)) => match Automerge::load(&bytes) {
                    Ok(doc) => doc,
                    Err(e) => {
                        // Keep the unreadable bytes; peers hold full copies and will refill it.
                        tracing::error!(document = %id, error = %e, "stored document is corrupt; quarantined");
                        store.quarantine(&id, &e.to_string());
                        Automerge::new()
                    }
                },
                Ok(None) => Automerge::new(),
                Err(e) => {
                    // Without the stored copy, accepting changes could shadow it: refuse for now.
                    tracing::error!(document = %id, error = %e, "cannot load document");
                    fx.send.push((conn, self.unavailable(conn, id).encode()));
                    return fx;
                }
            };
            self.docs.insert(
                id,
                HubDoc {
                    doc,
                    peers: HashMap::new(),
                },
            );
        }
        let peer_storage = match self.conns.get_mut(&conn) {
            Some(c) => {
                c.docs.insert(id);
                c.storage.clone()
            }
            None => None,
        };
        let Some(entry) = self.docs.get_mut(&id) else {
            return fx;
        };
        let state = entry
            .peers
            .entry(conn)
            .or_insert_with(|| match &peer_storage {
                Some(peer) => resumed_state(&self.kept, store, peer, &id, &entry.doc),
                None => sync::State::new(),
            });
        let before = entry.doc.get_heads();
        let received = entry.doc.receive_sync_message(state, sync_msg);
        let after = entry.doc.get_heads();
        // Persist whatever was applied, even from a message that then failed, so that memory
        // and the store never disagree. (Automerge 0.12 applies a message's changes all or
        // none, but nothing in its API promises that.)
        if before != after {
            store.append(&id, entry.doc.save_after(&before));
        }
        if let Err(e) = received {
            return self.fail(conn, format!("sync message for {id} rejected: {e}"));
        }
        let unavailable = request && after.is_empty();
        for (peer, state) in entry.peers.iter_mut() {
            if unavailable && *peer == conn {
                continue;
            }
            if let Some(out) = entry.doc.generate_sync_message(state) {
                let Some(target) = self.conns.get(peer).and_then(|c| c.remote.clone()) else {
                    continue;
                };
                let msg = Message::Sync(DocMessage {
                    sender: self.me.clone(),
                    target,
                    document: id,
                    data: out.encode(),
                });
                fx.send.push((*peer, msg.encode()));
            }
        }
        if unavailable {
            // The requester stays subscribed: if the document arrives from someone else, it is
            // passed on.
            fx.send.push((conn, self.unavailable(conn, id).encode()));
        }
        fx
    }

    fn unavailable(&self, conn: ConnId, document: DocumentId) -> Message {
        Message::DocUnavailable {
            sender: self.me.clone(),
            target: self.remote_of(conn).unwrap_or_else(|| PeerId::new("")),
            document,
        }
    }
}

/// The sync state a connection from durable storage `peer` starts with for document `id`: the
/// one kept from its last connection (this hub's memory first, then the store), or a fresh one.
///
/// Kept shared heads are a claim that the peer's storage holds those changes; Automerge's sync
/// copes with a claim that no longer holds on the peer's side (it answers with a reset and gets
/// everything), and a peer that sends empty heads resets it too. On our side, a kept head that
/// this copy of the document lacks (its stored bytes were quarantined, say) is a claim we cannot
/// back: rather than summarise from a point we do not have, such a state is dropped for a fresh
/// one.
fn resumed_state(
    kept: &KeptStates,
    store: &dyn DocStore,
    peer: &StorageId,
    id: &DocumentId,
    doc: &Automerge,
) -> sync::State {
    let bytes = match kept.get(peer, id) {
        Some(bytes) => Some(bytes.to_vec()),
        None => store.load_sync_state(peer, id).unwrap_or_else(|e| {
            tracing::warn!(document = %id, error = %e, "cannot load a kept sync state");
            None
        }),
    };
    let Some(bytes) = bytes else {
        return sync::State::new();
    };
    match sync::State::decode(&bytes) {
        Ok(state)
            if state
                .shared_heads
                .iter()
                .all(|h| doc.get_change_meta_by_hash(h).is_some()) =>
        {
            state
        }
        Ok(_) => sync::State::new(),
        Err(e) => {
            tracing::warn!(document = %id, error = %e, "a kept sync state does not decode");
            sync::State::new()
        }
    }
}
