//! Identifiers of the protocol.

use std::fmt;
use std::str::FromStr;
use thiserror::Error;

/// A document's id: 16 bytes, written as base58check (the automerge-repo form).
///
/// Ids are capabilities: whoever knows one can sync the document, so new ids must be made from
/// 128 random bits ([`DocumentId::from_random`]).
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct DocumentId([u8; 16]);

/// Why a string is not a document id.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum DocumentIdError {
    #[error("not a document id: {0}")]
    NotBase58Check(String),
    #[error("a document id has 16 bytes, this one has {0}")]
    WrongLength(usize),
}

impl DocumentId {
    /// The id made of the given random bytes.
    pub fn from_random(bytes: [u8; 16]) -> DocumentId {
        DocumentId(bytes)
    }

    pub fn as_bytes(&self) -> &[u8; 16] {
        &self.0
    }

    pub fn from_slice(bytes: &[u8]) -> Result<DocumentId, DocumentIdError> {
        <[u8; 16]>::try_from(bytes)
            .map(DocumentId)
            .map_err(|_| DocumentIdError::WrongLength(bytes.len()))
    }

    /// The `automerge:` URL automerge-repo clients use for this document.
    pub fn to_url(&self) -> String {
        format!("automerge:{self}")
    }
}

impl fmt::Display for DocumentId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&bs58::encode(self.0).with_check().into_string())
    }
}

impl fmt::Debug for DocumentId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "DocumentId({self})")
    }
}

impl FromStr for DocumentId {
    type Err = DocumentIdError;

    /// Parses the bare base58check form, or an `automerge:` URL (heads after `#` are ignored).
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let bare = s.trim();
        let bare = bare.strip_prefix("automerge:").unwrap_or(bare);
        let bare = bare.split('#').next().unwrap_or(bare);
        let bytes = bs58::decode(bare)
            .with_check(None)
            .into_vec()
            .map_err(|_| DocumentIdError::NotBase58Check(truncate(s)))?;
        DocumentId::from_slice(&bytes)
    }
}

fn truncate(s: &str) -> String {
    s.chars().take(64).collect()
}

/// A peer's ephemeral id: one per connection-holding process (a tab, the relay).
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct PeerId(String);

impl PeerId {
    pub fn new(s: impl Into<String>) -> PeerId {
        PeerId(s.into())
    }

    /// A peer id from random bits, in the `prefix-hex` form.
    pub fn from_random(prefix: &str, bits: u64) -> PeerId {
        PeerId(format!("{prefix}-{bits:016x}"))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for PeerId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// The id of a peer's durable storage, shared by every tab of one browser profile.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct StorageId(String);

impl StorageId {
    pub fn new(s: impl Into<String>) -> StorageId {
        StorageId(s.into())
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn document_id_round_trips_through_base58check() {
        let id = DocumentId::from_random([7; 16]);
        let text = id.to_string();
        assert_eq!(text.parse::<DocumentId>(), Ok(id));
        assert_eq!(id.to_url().parse::<DocumentId>(), Ok(id));
    }

    #[test]
    fn a_changed_character_breaks_the_checksum() {
        let id = DocumentId::from_random(core::array::from_fn(|i| i as u8));
        let text = id.to_string();
        let back: DocumentId = text.parse().expect("parses");
        assert_eq!(back.as_bytes()[15], 15);
        // A flipped character breaks the checksum.
        let mut broken: Vec<char> = text.chars().collect();
        broken[3] = if broken[3] == '2' { '3' } else { '2' };
        let broken: String = broken.into_iter().collect();
        assert!(matches!(
            broken.parse::<DocumentId>(),
            Err(DocumentIdError::NotBase58Check(_))
        ));
    }

    #[test]
    fn wrong_length_and_garbage_are_refused() {
        let short = bs58::encode([1u8; 8]).with_check().into_string();
        assert_eq!(
            short.parse::<DocumentId>(),
            Err(DocumentIdError::WrongLength(8))
        );
        assert!("not an id!".parse::<DocumentId>().is_err());
        assert!("".parse::<DocumentId>().is_err());
    }
}
