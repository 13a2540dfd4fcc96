//! Sync states kept for durable peers between their connections, so that a reconnect resumes
//! from the heads both sides share instead of summarising the whole history again.
//!
//! Only the persistent part of a state is kept (`automerge::sync::State::encode`: the shared
//! heads), keyed by the peer's storage id and the document: a claim about what that storage
//! holds, which is why every connection from the same storage (two tabs of one browser) may
//! start from it, while each still runs its own live state.

use crate::ids::{DocumentId, StorageId};
use std::collections::{BTreeMap, HashMap};

/// How many states the hub keeps in memory unless told otherwise.
pub const DEFAULT_KEPT_STATES: usize = 10_000;

/// A storage id longer than this is not a storage id: such a peer is treated as having none,
/// so that a peer cannot make the hub keep arbitrarily large keys.
pub const MAX_STORAGE_ID_LEN: usize = 128;

type Key = (StorageId, DocumentId);

/// At most `cap` encoded sync states; the least recently kept goes first.
pub struct KeptStates {
    cap: usize,
    /// Counts up with every state kept: the age of each entry.
    clock: u64,
    states: HashMap<Key, (u64, Vec<u8>)>,
    by_age: BTreeMap<u64, Key>,
}

impl KeptStates {
    pub fn new(cap: usize) -> KeptStates {
        KeptStates {
            cap,
            clock: 0,
            states: HashMap::new(),
            by_age: BTreeMap::new(),
        }
    }

    /// The state kept for this storage and document, if any. It stays kept: another
    /// connection from the same storage may start from it too.
    pub fn get(&self, peer: &StorageId, id: &DocumentId) -> Option<&[u8]> {
        self.states
            .get(&(peer.clone(), *id))
            .map(|(_, bytes)| bytes.as_slice())
    }

    /// Keep `state` (replacing an older one for the same key), then drop the oldest past the cap.
    pub fn keep(&mut self, peer: &StorageId, id: &DocumentId, state: Vec<u8>) {
        if self.cap == 0 {
            return;
        }
        self.clock += 1;
        let key = (peer.clone(), *id);
        if let Some((age, _)) = self.states.insert(key.clone(), (self.clock, state)) {
            self.by_age.remove(&age);
        }
        self.by_age.insert(self.clock, key);
        while self.states.len() > self.cap {
            let Some((_, oldest)) = self.by_age.pop_first() else {
                break;
            };
            self.states.remove(&oldest);
        }
    }

    pub fn len(&self) -> usize {
        self.states.len()
    }

    pub fn is_empty(&self) -> bool {
        self.states.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_oldest_state_goes_first_and_a_renewed_one_counts_as_new() {
        let mut kept = KeptStates::new(2);
        let s = StorageId::new("s");
        let (a, b, c) = (
            DocumentId::from_random([1; 16]),
            DocumentId::from_random([2; 16]),
            DocumentId::from_random([3; 16]),
        );
        kept.keep(&s, &a, vec![1]);
        kept.keep(&s, &b, vec![2]);
        kept.keep(&s, &a, vec![11]);
        kept.keep(&s, &c, vec![3]);
        assert_eq!(kept.len(), 2);
        assert_eq!(kept.get(&s, &a), Some(&[11][..]));
        assert_eq!(kept.get(&s, &b), None, "the oldest went");
        assert_eq!(kept.get(&s, &c), Some(&[3][..]));
        assert_eq!(kept.get(&StorageId::new("other"), &c), None);
    }

    #[test]
    fn a_cap_of_zero_keeps_nothing() {
        let mut kept = KeptStates::new(0);
        kept.keep(
            &StorageId::new("s"),
            &DocumentId::from_random([1; 16]),
            vec![1],
        );
        assert!(kept.is_empty());
    }
}
