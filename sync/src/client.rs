//! The initiating side of the protocol: a browser tab or a tool connected to a relay.
//!
//! The client does not own documents; the application does. It keeps the handshake and one
//! Automerge sync state per document, and turns frames into [`Incoming`] events and document
//! changes into frames. Sync states survive a dropped connection in their persistent form
//! (the heads both sides are known to share), so a resumed session sends only what is new.

use crate::ids::{DocumentId, PeerId, StorageId};
use crate::message::{DecodeError, DocMessage, Message, PeerMetadata};
use crate::PROTOCOL_VERSION;
use automerge::sync::{self, SyncDoc};
use automerge::ChangeHash;
use std::collections::HashMap;
use thiserror::Error;

/// Why a connection must be dropped.
#[derive(Debug, Error)]
pub enum ClientError {
    #[error("malformed message from the relay: {0}")]
    Decode(#[from] DecodeError),
    #[error("protocol error: {0}")]
    Protocol(String),
    #[error("the relay reported an error: {0}")]
    Remote(String),
    #[error("corrupt sync message for {document}: {reason}")]
    Sync {
        document: DocumentId,
        reason: String,
    },
}

/// What a frame from the relay means to the application.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Incoming {
    /// The handshake is done: announce documents now.
    Ready,
    /// A sync message for a document: pass it to [`Client::apply`].
    Sync { document: DocumentId, data: Vec<u8> },
    /// The relay does not have the document (it will still pass it on if it arrives).
    Unavailable(DocumentId),
    /// An ephemeral message from another peer of a document.
    Ephemeral {
        document: DocumentId,
        sender: PeerId,
        data: Vec<u8>,
    },
    /// Nothing for the application.
    Nothing,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Phase {
    Closed,
    Joining,
    Ready,
}

/// A client's protocol state.
pub struct Client {
    me: PeerId,
    storage: Option<StorageId>,
    phase: Phase,
    remote: Option<PeerId>,
    /// What the relay said of its storage in its `peer` message.
    remote_metadata: Option<PeerMetadata>,
    docs: HashMap<DocumentId, sync::State>,
    ephemeral_count: u64,
}

impl Client {
    pub fn new(me: PeerId, storage: Option<StorageId>) -> Client {
        Client {
            me,
            storage,
            phase: Phase::Closed,
            remote: None,
            remote_metadata: None,
            docs: HashMap::new(),
            ephemeral_count: 0,
        }
    }

    pub fn peer_id(&self) -> &PeerId {
        &self.me
    }

    /// The socket opened: send this `join` frame first.
    pub fn open(&mut self) -> Vec<u8> {
        self.phase = Phase::Joining;
        Message::Join {
            sender: self.me.clone(),
            versions: vec![PROTOCOL_VERSION.into()],
            metadata: Some(match &self.storage {
                Some(s) => PeerMetadata::durable(s),
                None => PeerMetadata {
                    storage_id: None,
                    is_ephemeral: true,
                },
            }),
        }
        .encode()
    }

    /// The socket closed. Each sync state keeps only what survives a reconnect: the heads both
    /// sides had in common.
    pub fn closed(&mut self) {
        self.phase = Phase::Closed;
        self.remote = None;
        self.remote_metadata = None;
        for state in self.docs.values_mut() {
            *state = sync::State::decode(&state.encode()).unwrap_or_else(|_| sync::State::new());
        }
    }

    pub fn is_ready(&self) -> bool {
        self.phase == Phase::Ready
    }

    /// The relay's peer id, once the handshake is done.
    pub fn remote(&self) -> Option<&PeerId> {
        self.remote.as_ref()
    }

    /// The relay's metadata (its storage id, whether it is ephemeral), once the handshake is
    /// done, if it sent any.
    pub fn remote_metadata(&self) -> Option<&PeerMetadata> {
        self.remote_metadata.as_ref()
    }

    /// Interpret one frame from the relay.
    pub fn receive(&mut self, frame: &[u8]) -> Result<Incoming, ClientError> {
        let msg = Message::decode(frame)?;
        match (self.phase, msg) {
            (_, Message::Error { message }) => Err(ClientError::Remote(message)),
            (
                Phase::Joining,
                Message::Peer {
                    sender,
                    version,
                    metadata,
                    ..
                },
            ) => {
                if version != PROTOCOL_VERSION {
                    return Err(ClientError::Protocol(format!(
                        "the relay selected protocol version {version:?}"
                    )));
                }
                self.remote = Some(sender);
                self.remote_metadata = metadata;
                self.phase = Phase::Ready;
                Ok(Incoming::Ready)
            }
            (Phase::Ready, Message::Sync(m) | Message::Request(m)) => Ok(Incoming::Sync {
                document: m.document,
                data: m.data,
            }),
            (Phase::Ready, Message::DocUnavailable { document, .. }) => {
                Ok(Incoming::Unavailable(document))
            }
            (
                Phase::Ready,
                Message::Ephemeral {
                    document,
                    sender,
                    data,
                    ..
                },
            ) => Ok(Incoming::Ephemeral {
                document,
                sender,
                data,
            }),
            (Phase::Ready, Message::Other { .. } | Message::Leave { .. }) => Ok(Incoming::Nothing),
            (phase, other) => Err(ClientError::Protocol(format!(
                "unexpected {:?} message while {}",
                other.kind(),
                match phase {
                    Phase::Closed => "closed",
                    Phase::Joining => "waiting for the handshake",
                    Phase::Ready => "syncing",
                }
            ))),
        }
    }

    /// Apply a sync message to the application's copy of the document.
    pub fn apply<D: SyncDoc>(
        &mut self,
        document: DocumentId,
        doc: &mut D,
        data: &[u8],
    ) -> Result<(), ClientError> {
        let bad = |e: &dyn std::fmt::Display| ClientError::Sync {
            document,
            reason: e.to_string(),
        };
        let msg = sync::Message::decode(data).map_err(|e| bad(&e))?;
        let state = self.docs.entry(document).or_default();
        doc.receive_sync_message(state, msg).map_err(|e| bad(&e))
    }

    /// The next frame to send about a document, if there is anything to say. An empty document
    /// is asked for with `request`, so that the relay answers `doc-unavailable` if it has none.
    pub fn generate<D: SyncDoc>(
        &mut self,
        document: DocumentId,
        doc: &D,
        doc_is_empty: bool,
    ) -> Option<Vec<u8>> {
        if self.phase != Phase::Ready {
            return None;
        }
        let target = self.remote.clone()?;
        let state = self.docs.entry(document).or_default();
        let data = doc.generate_sync_message(state)?.encode();
        let m = DocMessage {
            sender: self.me.clone(),
            target,
            document,
            data,
        };
        Some(
            if doc_is_empty {
                Message::Request(m)
            } else {
                Message::Sync(m)
            }
            .encode(),
        )
    }

    /// An ephemeral message for the other peers of a document.
    pub fn ephemeral(
        &mut self,
        document: DocumentId,
        session: &str,
        data: Vec<u8>,
    ) -> Option<Vec<u8>> {
        let target = self.remote.clone().filter(|_| self.is_ready())?;
        self.ephemeral_count += 1;
        Some(
            Message::Ephemeral {
                sender: self.me.clone(),
                target,
                document,
                count: self.ephemeral_count,
                session: session.to_owned(),
                data,
            }
            .encode(),
        )
    }

    /// Whether the relay is known to have every change in `heads`.
    pub fn in_sync(&self, document: &DocumentId, heads: &[ChangeHash]) -> bool {
        let Some(theirs) = self.docs.get(document).and_then(|s| s.their_heads.as_ref()) else {
            return false;
        };
        heads.iter().all(|h| theirs.contains(h)) && theirs.len() == heads.len()
    }

    /// Stop tracking a document.
    pub fn forget(&mut self, document: &DocumentId) {
        self.docs.remove(document);
    }
}
