//! The automerge-repo sync protocol, with no I/O.
//!
//! The wire protocol is the one of npm `@automerge/automerge-repo-network-websocket`: CBOR
//! messages, a `join` / `peer` handshake, then `request`, `sync`, `doc-unavailable`, `ephemeral`
//! and `error` messages about documents named by base58check ids. Any automerge-repo client can
//! talk to a peer built from this crate.
//!
//! Layout:
//! - [`ids`]: [`DocumentId`], [`PeerId`], [`StorageId`].
//! - [`message`]: [`Message`] and its CBOR encoding, tolerant of fields and types it does not use.
//! - [`hub`]: the relay's side (the receiving peer). It holds documents, runs a sync state per
//!   connected peer and document, and says what to send, to whom, and what to persist. The
//!   socket and the disk stay outside; storage comes in through the [`hub::DocStore`] trait.
//! - [`resume`]: durable peers' sync states, kept between their connections so that a
//!   reconnect resumes from the heads both sides share.
//! - [`client`]: a browser's or tool's side (the initiating peer): the handshake and one sync
//!   state per document, kept across reconnects so that a resumed session sends only what is new.
//!
//! Frames go in as bytes and come out as bytes, so the relay, the browser and the tests share
//! one code path and a whole multi-peer exchange can be run in memory.

pub mod client;
pub mod hub;
pub mod ids;
pub mod message;
pub mod resume;

pub use client::{Client, ClientError, Incoming};
pub use hub::{ConnId, DocStore, Effects, Hub};
pub use ids::{DocumentId, PeerId, StorageId};
pub use message::{DecodeError, DocMessage, Message, PeerMetadata};

/// The only protocol version there is.
pub const PROTOCOL_VERSION: &str = "1";
