//! The wire messages and their CBOR encoding.
//!
//! Every message is a CBOR map with a `type` key. Decoding reads a flat [`Wire`] record with
//! every field optional, then checks that the fields its type needs are present, so that a
//! message with extra fields (a newer client) still decodes, and a message of a type this peer
//! does not act on decodes as [`Message::Other`] instead of failing.

use crate::ids::{DocumentId, DocumentIdError, PeerId, StorageId};
use serde::{Deserialize, Serialize};
use thiserror::Error;

/// Metadata a peer may send in `join` and `peer`, under the key `peerMetadata` (the name the
/// reference implementation's WebSocket adapters use; its README's CDDL says `metadata`, which
/// is accepted too when reading).
///
/// Read leniently: a field of an unexpected type is taken as absent, so odd metadata never
/// costs a peer its handshake.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct PeerMetadata {
    pub storage_id: Option<String>,
    pub is_ephemeral: bool,
}

/// A `request` or `sync` message: an Automerge sync message about one document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DocMessage {
    pub sender: PeerId,
    pub target: PeerId,
    pub document: DocumentId,
    /// The bytes of an Automerge sync message.
    pub data: Vec<u8>,
}

/// One protocol message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Message {
    Join {
        sender: PeerId,
        versions: Vec<String>,
        metadata: Option<PeerMetadata>,
    },
    Peer {
        sender: PeerId,
        target: PeerId,
        version: String,
        metadata: Option<PeerMetadata>,
    },
    Leave {
        sender: PeerId,
    },
    /// Like `sync`, but asks for `doc-unavailable` if the receiver does not have the document.
    Request(DocMessage),
    Sync(DocMessage),
    DocUnavailable {
        sender: PeerId,
        target: PeerId,
        document: DocumentId,
    },
    Ephemeral {
        sender: PeerId,
        target: PeerId,
        document: DocumentId,
        count: u64,
        session: String,
        data: Vec<u8>,
    },
    Error {
        message: String,
    },
    /// A well-formed message of a type this peer does not act on (remote heads gossip, say).
    Other {
        kind: String,
    },
}

/// Why bytes are not a protocol message.
#[derive(Debug, Error)]
pub enum DecodeError {
    #[error("not a CBOR message: {0}")]
    NotCbor(String),
    #[error("a {kind:?} message needs a {field:?} field")]
    Missing {
        kind: &'static str,
        field: &'static str,
    },
    #[error("bad document id: {0}")]
    DocumentId(#[from] DocumentIdError),
}

/// Every field any message type has, all optional: the decoding target.
#[derive(Debug, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Wire {
    #[serde(rename = "type")]
    kind: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    sender_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    target_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    supported_protocol_versions: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    selected_protocol_version: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    peer_metadata: Option<ciborium::Value>,
    /// The older name of `peerMetadata`: read, never written.
    #[serde(default, skip_serializing)]
    metadata: Option<ciborium::Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    document_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none", with = "serde_bytes")]
    data: Option<Vec<u8>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    count: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    session_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    message: Option<String>,
}

impl Message {
    /// The message's `type` on the wire.
    pub fn kind(&self) -> &str {
        match self {
            Message::Join { .. } => "join",
            Message::Peer { .. } => "peer",
            Message::Leave { .. } => "leave",
            Message::Request(_) => "request",
            Message::Sync(_) => "sync",
            Message::DocUnavailable { .. } => "doc-unavailable",
            Message::Ephemeral { .. } => "ephemeral",
            Message::Error { .. } => "error",
            Message::Other { kind } => kind,
        }
    }

    /// The document this message is about, if any.
    pub fn document(&self) -> Option<DocumentId> {
        match self {
            Message::Request(m) | Message::Sync(m) => Some(m.document),
            Message::DocUnavailable { document, .. } | Message::Ephemeral { document, .. } => {
                Some(*document)
            }
            _ => None,
        }
    }

    pub fn encode(&self) -> Vec<u8> {
        let wire = self.to_wire();
        let mut out = Vec::with_capacity(64 + wire.data.as_ref().map_or(0, Vec::len));
        // Writing to a Vec cannot fail, and every field is a plain string, number or bytes.
        if let Err(e) = ciborium::into_writer(&wire, &mut out) {
            unreachable!("encoding a message into memory failed: {e}")
        }
        out
    }

    pub fn decode(bytes: &[u8]) -> Result<Message, DecodeError> {
        let wire: Wire =
            ciborium::from_reader(bytes).map_err(|e| DecodeError::NotCbor(e.to_string()))?;
        Message::from_wire(wire)
    }

    fn to_wire(&self) -> Wire {
        let mut w = Wire {
            kind: self.kind().to_owned(),
            ..Wire::default()
        };
        match self {
            Message::Join {
                sender,
                versions,
                metadata,
            } => {
                w.sender_id = Some(sender.to_string());
                w.supported_protocol_versions = Some(versions.clone());
                w.peer_metadata = metadata.as_ref().map(PeerMetadata::to_value);
            }
            Message::Peer {
                sender,
                target,
                version,
                metadata,
            } => {
                w.sender_id = Some(sender.to_string());
                w.target_id = Some(target.to_string());
                w.selected_protocol_version = Some(version.clone());
                w.peer_metadata = metadata.as_ref().map(PeerMetadata::to_value);
            }
            Message::Leave { sender } => w.sender_id = Some(sender.to_string()),
            Message::Request(m) | Message::Sync(m) => {
                w.sender_id = Some(m.sender.to_string());
                w.target_id = Some(m.target.to_string());
                w.document_id = Some(m.document.to_string());
                w.data = Some(m.data.clone());
            }
            Message::DocUnavailable {
                sender,
                target,
                document,
            } => {
                w.sender_id = Some(sender.to_string());
                w.target_id = Some(target.to_string());
                w.document_id = Some(document.to_string());
            }
            Message::Ephemeral {
                sender,
                target,
                document,
                count,
                session,
                data,
            } => {
                w.sender_id = Some(sender.to_string());
                w.target_id = Some(target.to_string());
                w.document_id = Some(document.to_string());
                w.count = Some(*count);
                w.session_id = Some(session.clone());
                w.data = Some(data.clone());
            }
            Message::Error { message } => w.message = Some(message.clone()),
            Message::Other { .. } => {}
        }
        w
    }

    fn from_wire(w: Wire) -> Result<Message, DecodeError> {
        fn need<T>(
            v: Option<T>,
            kind: &'static str,
            field: &'static str,
        ) -> Result<T, DecodeError> {
            v.ok_or(DecodeError::Missing { kind, field })
        }
        fn doc_message(w: Wire, kind: &'static str) -> Result<DocMessage, DecodeError> {
            Ok(DocMessage {
                sender: PeerId::new(need(w.sender_id, kind, "senderId")?),
                target: PeerId::new(need(w.target_id, kind, "targetId")?),
                document: need(w.document_id, kind, "documentId")?.parse()?,
                data: need(w.data, kind, "data")?,
            })
        }
        let metadata = w
            .peer_metadata
            .as_ref()
            .or(w.metadata.as_ref())
            .map(PeerMetadata::from_value);
        Ok(match w.kind.as_str() {
            "join" => Message::Join {
                sender: PeerId::new(need(w.sender_id, "join", "senderId")?),
                versions: need(
                    w.supported_protocol_versions,
                    "join",
                    "supportedProtocolVersions",
                )?,
                metadata,
            },
            "peer" => Message::Peer {
                sender: PeerId::new(need(w.sender_id, "peer", "senderId")?),
                target: PeerId::new(need(w.target_id, "peer", "targetId")?),
                version: need(
                    w.selected_protocol_version,
                    "peer",
                    "selectedProtocolVersion",
                )?,
                metadata,
            },
            "leave" => Message::Leave {
                sender: PeerId::new(need(w.sender_id, "leave", "senderId")?),
            },
            "request" => Message::Request(doc_message(w, "request")?),
            "sync" => Message::Sync(doc_message(w, "sync")?),
            "doc-unavailable" => Message::DocUnavailable {
                sender: PeerId::new(need(w.sender_id, "doc-unavailable", "senderId")?),
                target: PeerId::new(need(w.target_id, "doc-unavailable", "targetId")?),
                document: need(w.document_id, "doc-unavailable", "documentId")?.parse()?,
            },
            "ephemeral" => Message::Ephemeral {
                sender: PeerId::new(need(w.sender_id, "ephemeral", "senderId")?),
                target: PeerId::new(need(w.target_id, "ephemeral", "targetId")?),
                document: need(w.document_id, "ephemeral", "documentId")?.parse()?,
                count: w.count.unwrap_or(0),
                session: w.session_id.unwrap_or_default(),
                data: need(w.data, "ephemeral", "data")?,
            },
            "error" => Message::Error {
                message: w.message.unwrap_or_default(),
            },
            _ => Message::Other { kind: w.kind },
        })
    }
}

impl PeerMetadata {
    pub fn durable(storage: &StorageId) -> PeerMetadata {
        PeerMetadata {
            storage_id: Some(storage.as_str().to_owned()),
            is_ephemeral: false,
        }
    }

    fn to_value(&self) -> ciborium::Value {
        use ciborium::Value;
        let mut map = Vec::with_capacity(2);
        if let Some(id) = &self.storage_id {
            map.push((Value::Text("storageId".into()), Value::Text(id.clone())));
        }
        map.push((
            Value::Text("isEphemeral".into()),
            Value::Bool(self.is_ephemeral),
        ));
        Value::Map(map)
    }

    fn from_value(value: &ciborium::Value) -> PeerMetadata {
        let field = |name: &str| {
            value.as_map().and_then(|map| {
                map.iter()
                    .find(|(k, _)| k.as_text() == Some(name))
                    .map(|(_, v)| v)
            })
        };
        PeerMetadata {
            storage_id: field("storageId")
                .and_then(ciborium::Value::as_text)
                .map(str::to_owned),
            is_ephemeral: field("isEphemeral")
                .and_then(ciborium::Value::as_bool)
                .unwrap_or(false),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc() -> DocumentId {
        DocumentId::from_random([3; 16])
    }

    #[test]
    fn every_message_round_trips() {
        let messages = vec![
            Message::Join {
                sender: PeerId::new("a"),
                versions: vec!["1".into()],
                metadata: Some(PeerMetadata::durable(&StorageId::new("s"))),
            },
            Message::Peer {
                sender: PeerId::new("relay"),
                target: PeerId::new("a"),
                version: "1".into(),
                metadata: None,
            },
            Message::Leave {
                sender: PeerId::new("a"),
            },
            Message::Request(DocMessage {
                sender: PeerId::new("a"),
                target: PeerId::new("b"),
                document: doc(),
                data: vec![1, 2, 3],
            }),
            Message::Sync(DocMessage {
                sender: PeerId::new("a"),
                target: PeerId::new("b"),
                document: doc(),
                data: vec![],
            }),
            Message::DocUnavailable {
                sender: PeerId::new("a"),
                target: PeerId::new("b"),
                document: doc(),
            },
            Message::Ephemeral {
                sender: PeerId::new("a"),
                target: PeerId::new("b"),
                document: doc(),
                count: 4,
                session: "x".into(),
                data: vec![9],
            },
            Message::Error {
                message: "bad".into(),
            },
        ];
        for m in messages {
            assert_eq!(Message::decode(&m.encode()).expect("decodes"), m);
        }
    }

    #[test]
    fn field_names_and_byte_strings_are_those_of_the_spec() {
        let m = Message::Sync(DocMessage {
            sender: PeerId::new("a"),
            target: PeerId::new("b"),
            document: doc(),
            data: vec![1, 2],
        });
        let value: ciborium::Value = ciborium::from_reader(&m.encode()[..]).expect("cbor");
        let map = value.as_map().expect("a map");
        let get = |k: &str| {
            map.iter()
                .find(|(key, _)| key.as_text() == Some(k))
                .map(|(_, v)| v.clone())
        };
        assert_eq!(get("type"), Some(ciborium::Value::Text("sync".into())));
        assert_eq!(get("senderId"), Some(ciborium::Value::Text("a".into())));
        assert_eq!(get("targetId"), Some(ciborium::Value::Text("b".into())));
        assert_eq!(
            get("documentId"),
            Some(ciborium::Value::Text(doc().to_string()))
        );
        assert_eq!(get("data"), Some(ciborium::Value::Bytes(vec![1, 2])));
    }

    fn text(s: &str) -> ciborium::Value {
        ciborium::Value::Text(s.into())
    }

    fn cbor(value: &ciborium::Value) -> Vec<u8> {
        let mut bytes = Vec::new();
        ciborium::into_writer(value, &mut bytes).expect("encode");
        bytes
    }

    fn lookup<'a>(map: &'a ciborium::Value, key: &str) -> Option<&'a ciborium::Value> {
        map.as_map()?
            .iter()
            .find(|(k, _)| k.as_text() == Some(key))
            .map(|(_, v)| v)
    }

    #[test]
    fn peer_metadata_is_sent_under_the_reference_implementations_key() {
        let peer = Message::Peer {
            sender: PeerId::new("relay"),
            target: PeerId::new("a"),
            version: "1".into(),
            metadata: Some(PeerMetadata::durable(&StorageId::new("store-1"))),
        };
        let value: ciborium::Value = ciborium::from_reader(&peer.encode()[..]).expect("cbor");
        assert_eq!(lookup(&value, "metadata"), None);
        let meta = lookup(&value, "peerMetadata").expect("peerMetadata is sent");
        assert_eq!(lookup(meta, "storageId"), Some(&text("store-1")));
        assert_eq!(
            lookup(meta, "isEphemeral"),
            Some(&ciborium::Value::Bool(false))
        );
    }

    #[test]
    fn peer_metadata_is_read_under_either_key_and_leniently() {
        // What the JavaScript WebSocketClientAdapter sends: `peerMetadata`, with `undefined`
        // for a repo without storage.
        let join = |key: &str, meta: ciborium::Value| {
            ciborium::Value::Map(vec![
                (text("type"), text("join")),
                (text("senderId"), text("js")),
                (
                    text("supportedProtocolVersions"),
                    ciborium::Value::Array(vec![text("1")]),
                ),
                (text(key), meta),
            ])
        };
        let meta = |storage: ciborium::Value, ephemeral: ciborium::Value| {
            ciborium::Value::Map(vec![
                (text("storageId"), storage),
                (text("isEphemeral"), ephemeral),
            ])
        };
        let metadata_of = |bytes: Vec<u8>| match Message::decode(&bytes).expect("decodes") {
            Message::Join { metadata, .. } => metadata,
            other => panic!("decoded as {other:?}"),
        };
        // ciborium has no `undefined` value to write: write null (0xf6), then make it undefined.
        let mut from_js = cbor(&join(
            "peerMetadata",
            meta(ciborium::Value::Null, ciborium::Value::Bool(true)),
        ));
        let nulls: Vec<usize> = (0..from_js.len()).filter(|i| from_js[*i] == 0xf6).collect();
        assert_eq!(nulls.len(), 1, "one null byte to replace");
        from_js[nulls[0]] = 0xf7;
        assert_eq!(
            metadata_of(from_js),
            Some(PeerMetadata {
                storage_id: None,
                is_ephemeral: true
            })
        );
        assert_eq!(
            metadata_of(cbor(&join(
                "metadata",
                meta(text("s-9"), ciborium::Value::Bool(false))
            ))),
            Some(PeerMetadata::durable(&StorageId::new("s-9")))
        );
        // Fields of the wrong type are taken as absent, not as a malformed message.
        assert_eq!(
            metadata_of(cbor(&join(
                "peerMetadata",
                meta(ciborium::Value::Integer(7.into()), text("yes"))
            ))),
            Some(PeerMetadata::default())
        );
        assert_eq!(
            metadata_of(cbor(&join("peerMetadata", text("odd")))),
            Some(PeerMetadata::default())
        );
    }

    #[test]
    fn unknown_types_and_extra_fields_are_tolerated() {
        let value = ciborium::Value::Map(vec![
            (
                ciborium::Value::Text("type".into()),
                ciborium::Value::Text("remote-heads-changed".into()),
            ),
            (
                ciborium::Value::Text("newHeads".into()),
                ciborium::Value::Map(vec![]),
            ),
        ]);
        let mut bytes = Vec::new();
        ciborium::into_writer(&value, &mut bytes).expect("encode");
        assert_eq!(
            Message::decode(&bytes).expect("decodes"),
            Message::Other {
                kind: "remote-heads-changed".into()
            }
        );
    }

    #[test]
    fn malformed_messages_are_errors() {
        assert!(matches!(
            Message::decode(b"hello"),
            Err(DecodeError::NotCbor(_))
        ));
        let value = ciborium::Value::Map(vec![(
            ciborium::Value::Text("type".into()),
            ciborium::Value::Text("sync".into()),
        )]);
        let mut bytes = Vec::new();
        ciborium::into_writer(&value, &mut bytes).expect("encode");
        assert!(matches!(
            Message::decode(&bytes),
            Err(DecodeError::Missing { kind: "sync", .. })
        ));
        let bad_id = Message::Sync(DocMessage {
            sender: PeerId::new("a"),
            target: PeerId::new("b"),
            document: doc(),
            data: vec![],
        })
        .encode();
        // Corrupt the document id's text in place: the checksum no longer matches.
        let text = doc().to_string();
        let at = bad_id
            .windows(text.len())
            .position(|w| w == text.as_bytes())
            .expect("id present");
        let mut corrupted = bad_id.clone();
        corrupted[at] = if corrupted[at] == b'2' { b'3' } else { b'2' };
        assert!(matches!(
            Message::decode(&corrupted),
            Err(DecodeError::DocumentId(_))
        ));
    }
}
