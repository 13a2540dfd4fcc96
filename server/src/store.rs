//! The relay's durable copy of every document, in an embedded redb database.
//!
//! A document is stored as a sequence of chunks: Automerge saves and incremental changes, which
//! concatenated load as one document. Appends go to a writer thread, which batches them into
//! one transaction each time it wakes and compacts a document's chunks into one save when they
//! pile up; the hub never waits on the disk. Until a chunk is committed it sits in an in-memory
//! overlay that `load` reads too, so a document dropped from the hub's memory and loaded again
//! at once still has its latest changes.
//!
//! Chunks that fail to load are moved to a quarantine table, never deleted.
//!
//! Durable peers' sync states (the heads the relay shares with a peer's storage, per document)
//! are kept in a table of their own, written by the same thread, so that a reconnect after a
//! restart resumes too. Past a limit the oldest are dropped: a dropped state only costs that
//! peer a summary of the document's history on its next connection.

use automerge::Automerge;
use redb::{Database, ReadableDatabase, ReadableTable, ReadableTableMetadata, TableDefinition};
use repo_sync::hub::StoreError;
use repo_sync::{DocStore, DocumentId, StorageId};
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use thiserror::Error;

/// (document id, sequence number) → chunk bytes.
const CHUNKS: TableDefinition<(&[u8], u64), &[u8]> = TableDefinition::new("chunks");
/// (document id, sequence number) → chunk bytes that could not be loaded.
const QUARANTINE: TableDefinition<(&[u8], u64), &[u8]> = TableDefinition::new("quarantine");
/// (document id, sequence number of the first quarantined chunk) → why.
const QUARANTINE_REASONS: TableDefinition<(&[u8], u64), &str> =
    TableDefinition::new("quarantine_reasons");

/// (peer storage id, document id): whose sync state, for which document.
type SyncStateKey<'a> = (&'a str, &'a [u8]);
/// (when it was saved, in ms since the epoch; the bytes of `automerge::sync::State::encode`).
type SyncStateValue<'a> = (u64, &'a [u8]);
const SYNC_STATES: TableDefinition<SyncStateKey, SyncStateValue> =
    TableDefinition::new("sync_states");

/// How many sync states the store keeps unless told otherwise (about 100 bytes each).
pub const DEFAULT_MAX_SYNC_STATES: usize = 100_000;

/// The store's own settings: `storage_id` → the id announced to peers.
const META: TableDefinition<&str, &str> = TableDefinition::new("meta");

/// Past this many chunks, a document is rewritten as one save.
const COMPACT_AFTER: usize = 64;

/// Why the store cannot open.
#[derive(Debug, Error)]
pub enum OpenError {
    #[error("cannot create the data directory {path}: {source}")]
    Dir {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("cannot open the database {path}: {source}")]
    Database {
        path: PathBuf,
        source: Box<redb::DatabaseError>,
    },
    #[error("cannot prepare the database: {0}")]
    Init(String),
    #[error("no randomness for a new storage id: {0}")]
    Random(String),
}

/// A new random id in the form the reference implementation uses for its storage ids (a
/// version 4 UUID).
pub fn random_uuid() -> Result<String, getrandom::Error> {
    let mut b = [0u8; 16];
    getrandom::fill(&mut b)?;
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    let hex: String = b.iter().map(|x| format!("{x:02x}")).collect();
    Ok(format!(
        "{}-{}-{}-{}-{}",
        &hex[0..8],
        &hex[8..12],
        &hex[12..16],
        &hex[16..20],
        &hex[20..32]
    ))
}

enum Cmd {
    Append(DocumentId, Vec<u8>),
    Quarantine(DocumentId, String),
    SyncState(StorageId, DocumentId, Vec<u8>),
    Flush(mpsc::Sender<()>),
}

type Overlay = Arc<Mutex<HashMap<DocumentId, Vec<Vec<u8>>>>>;

/// The redb-backed [`DocStore`].
pub struct RedbStore {
    db: Arc<Database>,
    storage_id: StorageId,
    overlay: Overlay,
    tx: Mutex<Option<mpsc::Sender<Cmd>>>,
    writer: Mutex<Option<JoinHandle<()>>>,
}

fn store_err(e: impl std::fmt::Display) -> StoreError {
    StoreError(e.to_string())
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    // A panic while holding the lock leaves plain data behind; keep serving it.
    m.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

impl RedbStore {
    /// Open (or create) the database in `dir`.
    pub fn open(dir: &Path) -> Result<RedbStore, OpenError> {
        Self::open_with_sync_state_limit(dir, DEFAULT_MAX_SYNC_STATES)
    }

    /// Open (or create) the database in `dir`, keeping at most about `max_sync_states` peers'
    /// sync states (the oldest go when there are an eighth more).
    pub fn open_with_sync_state_limit(
        dir: &Path,
        max_sync_states: usize,
    ) -> Result<RedbStore, OpenError> {
        std::fs::create_dir_all(dir).map_err(|source| OpenError::Dir {
            path: dir.to_owned(),
            source,
        })?;
        let path = dir.join("relay.redb");
        let db = Database::create(&path).map_err(|source| OpenError::Database {
            path: path.clone(),
            source: Box::new(source),
        })?;
        let storage_id = {
            let init = |e: &dyn std::fmt::Display| OpenError::Init(e.to_string());
            let txn = db.begin_write().map_err(|e| init(&e))?;
            txn.open_table(CHUNKS).map_err(|e| init(&e))?;
            txn.open_table(QUARANTINE).map_err(|e| init(&e))?;
            txn.open_table(QUARANTINE_REASONS).map_err(|e| init(&e))?;
            txn.open_table(SYNC_STATES).map_err(|e| init(&e))?;
            let storage_id = {
                let mut meta = txn.open_table(META).map_err(|e| init(&e))?;
                let existing = meta
                    .get("storage_id")
                    .map_err(|e| init(&e))?
                    .map(|v| v.value().to_owned());
                match existing {
                    Some(id) => id,
                    None => {
                        let id = random_uuid().map_err(|e| OpenError::Random(e.to_string()))?;
                        meta.insert("storage_id", id.as_str())
                            .map_err(|e| init(&e))?;
                        id
                    }
                }
            };
            txn.commit().map_err(|e| init(&e))?;
            StorageId::new(storage_id)
        };
        let db = Arc::new(db);
        let overlay: Overlay = Arc::default();
        let (tx, rx) = mpsc::channel();
        let writer = {
            let (db, overlay) = (db.clone(), overlay.clone());
            std::thread::Builder::new()
                .name("relay-store".into())
                .spawn(move || writer_loop(&db, &overlay, rx, max_sync_states))
                .map_err(|e| OpenError::Init(e.to_string()))?
        };
        Ok(RedbStore {
            db,
            storage_id,
            overlay,
            tx: Mutex::new(Some(tx)),
            writer: Mutex::new(Some(writer)),
        })
    }

    /// Wait until everything appended so far is committed to disk.
    pub fn flush(&self) {
        let (done_tx, done_rx) = mpsc::channel();
        let sent = lock(&self.tx)
            .as_ref()
            .is_some_and(|tx| tx.send(Cmd::Flush(done_tx)).is_ok());
        if sent {
            let _ = done_rx.recv();
        }
    }

    /// Commit what is pending and stop the writer.
    pub fn close(&self) {
        self.flush();
        lock(&self.tx).take();
        if let Some(handle) = lock(&self.writer).take() {
            let _ = handle.join();
        }
    }

    /// How many chunks of quarantined data the store keeps for `id`.
    pub fn quarantined_chunks(&self, id: &DocumentId) -> Result<usize, StoreError> {
        let txn = self.db.begin_read().map_err(store_err)?;
        let table = txn.open_table(QUARANTINE).map_err(store_err)?;
        let key = id.as_bytes().as_slice();
        Ok(table
            .range((key, 0)..=(key, u64::MAX))
            .map_err(store_err)?
            .count())
    }

    /// Overwrite a document's stored bytes; for tests of corrupt storage.
    #[doc(hidden)]
    pub fn put_raw_for_test(&self, id: &DocumentId, bytes: &[u8]) -> Result<(), StoreError> {
        self.flush();
        let txn = self.db.begin_write().map_err(store_err)?;
        {
            let mut table = txn.open_table(CHUNKS).map_err(store_err)?;
            let key = id.as_bytes().as_slice();
            table
                .retain_in((key, 0)..=(key, u64::MAX), |_, _| false)
                .map_err(store_err)?;
            table.insert((key, 0), bytes).map_err(store_err)?;
        }
        txn.commit().map_err(store_err)
    }

    fn send(&self, cmd: Cmd) {
        if let Some(tx) = lock(&self.tx).as_ref() {
            if tx.send(cmd).is_err() {
                tracing::error!("the store's writer has stopped; a change was not persisted");
            }
        }
    }
}

impl Drop for RedbStore {
    fn drop(&mut self) {
        self.close();
    }
}

impl DocStore for RedbStore {
    fn load(&self, id: &DocumentId) -> Result<Option<Vec<u8>>, StoreError> {
        let mut bytes = Vec::new();
        let mut found = false;
        {
            let txn = self.db.begin_read().map_err(store_err)?;
            let table = txn.open_table(CHUNKS).map_err(store_err)?;
            let key = id.as_bytes().as_slice();
            for row in table.range((key, 0)..=(key, u64::MAX)).map_err(store_err)? {
                let (_, value) = row.map_err(store_err)?;
                bytes.extend_from_slice(value.value());
                found = true;
            }
        }
        // Chunks not yet committed. A chunk committed between the read above and this point
        // appears twice; Automerge skips changes it already has.
        if let Some(pending) = lock(&self.overlay).get(id) {
            for chunk in pending {
                bytes.extend_from_slice(chunk);
                found = true;
            }
        }
        Ok(found.then_some(bytes))
    }

    fn append(&self, id: &DocumentId, changes: Vec<u8>) {
        if changes.is_empty() {
            return;
        }
        lock(&self.overlay)
            .entry(*id)
            .or_default()
            .push(changes.clone());
        self.send(Cmd::Append(*id, changes));
    }

    fn quarantine(&self, id: &DocumentId, reason: &str) {
        self.send(Cmd::Quarantine(*id, reason.to_owned()));
    }

    fn storage_id(&self) -> Option<StorageId> {
        Some(self.storage_id.clone())
    }

    fn load_sync_state(
        &self,
        peer: &StorageId,
        id: &DocumentId,
    ) -> Result<Option<Vec<u8>>, StoreError> {
        // A save still on its way to the writer is not seen here; the hub keeps its own copy
        // of what it saved, and reads this only for states from an earlier run.
        let txn = self.db.begin_read().map_err(store_err)?;
        let table = txn.open_table(SYNC_STATES).map_err(store_err)?;
        let row = table
            .get((peer.as_str(), id.as_bytes().as_slice()))
            .map_err(store_err)?;
        Ok(row.map(|v| v.value().1.to_vec()))
    }

    fn save_sync_state(&self, peer: &StorageId, id: &DocumentId, state: Vec<u8>) {
        self.send(Cmd::SyncState(peer.clone(), *id, state));
    }
}

fn writer_loop(db: &Database, overlay: &Overlay, rx: mpsc::Receiver<Cmd>, max_sync_states: usize) {
    while let Ok(first) = rx.recv() {
        let mut batch = vec![first];
        batch.extend(rx.try_iter());
        let mut flushes = Vec::new();
        let mut appended: HashMap<DocumentId, usize> = HashMap::new();
        let mut ops = Vec::new();
        for cmd in batch {
            match cmd {
                Cmd::Flush(done) => flushes.push(done),
                other => ops.push(other),
            }
        }
        if !ops.is_empty() {
            match commit(db, &ops, &mut appended) {
                Ok(()) => {}
                Err(e) => {
                    tracing::error!(error = %e, "writing documents failed; they stay in memory")
                }
            }
            // Committed chunks leave the overlay (oldest first: appends are in order).
            let mut ov = lock(overlay);
            for (id, n) in &appended {
                if let Some(chunks) = ov.get_mut(id) {
                    chunks.drain(..(*n).min(chunks.len()));
                    if chunks.is_empty() {
                        ov.remove(id);
                    }
                }
            }
            drop(ov);
            for id in appended.keys() {
                if let Err(e) = compact_if_needed(db, id) {
                    tracing::warn!(document = %id, error = %e, "compaction skipped");
                }
            }
            if let Err(e) = prune_sync_states(db, max_sync_states) {
                tracing::warn!(error = %e, "pruning sync states skipped");
            }
        }
        for done in flushes {
            let _ = done.send(());
        }
    }
}

fn next_seq(
    table: &redb::Table<(&[u8], u64), &[u8]>,
    key: &[u8],
) -> Result<u64, redb::StorageError> {
    Ok(match table.range((key, 0)..=(key, u64::MAX))?.next_back() {
        Some(row) => row?.0.value().1 + 1,
        None => 0,
    })
}

fn commit(
    db: &Database,
    ops: &[Cmd],
    appended: &mut HashMap<DocumentId, usize>,
) -> Result<(), StoreError> {
    let txn = db.begin_write().map_err(store_err)?;
    {
        let mut chunks = txn.open_table(CHUNKS).map_err(store_err)?;
        let mut quarantine = txn.open_table(QUARANTINE).map_err(store_err)?;
        let mut reasons = txn.open_table(QUARANTINE_REASONS).map_err(store_err)?;
        let mut sync_states = txn.open_table(SYNC_STATES).map_err(store_err)?;
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_millis() as u64)
            .unwrap_or_default();
        for op in ops {
            match op {
                Cmd::Append(id, bytes) => {
                    let key = id.as_bytes().as_slice();
                    let seq = next_seq(&chunks, key).map_err(store_err)?;
                    chunks
                        .insert((key, seq), bytes.as_slice())
                        .map_err(store_err)?;
                    *appended.entry(*id).or_default() += 1;
                }
                Cmd::Quarantine(id, reason) => {
                    let key = id.as_bytes().as_slice();
                    let mut moved = Vec::new();
                    for row in chunks
                        .range((key, 0)..=(key, u64::MAX))
                        .map_err(store_err)?
                    {
                        let (_, v) = row.map_err(store_err)?;
                        moved.push(v.value().to_vec());
                    }
                    chunks
                        .retain_in((key, 0)..=(key, u64::MAX), |_, _| false)
                        .map_err(store_err)?;
                    let first = match quarantine
                        .range((key, 0)..=(key, u64::MAX))
                        .map_err(store_err)?
                        .next_back()
                    {
                        Some(row) => row.map_err(store_err)?.0.value().1 + 1,
                        None => 0,
                    };
                    reasons
                        .insert((key, first), reason.as_str())
                        .map_err(store_err)?;
                    for (i, chunk) in moved.iter().enumerate() {
                        quarantine
                            .insert((key, first + i as u64), chunk.as_slice())
                            .map_err(store_err)?;
                    }
                    tracing::warn!(document = %id, chunks = moved.len(), %reason, "quarantined stored document");
                }
                Cmd::SyncState(peer, id, state) => {
                    sync_states
                        .insert(
                            (peer.as_str(), id.as_bytes().as_slice()),
                            (now, state.as_slice()),
                        )
                        .map_err(store_err)?;
                }
                Cmd::Flush(_) => {}
            }
        }
    }
    txn.commit().map_err(store_err)
}

/// Once the sync states are an eighth over `max`, drop the oldest down to `max`.
fn prune_sync_states(db: &Database, max: usize) -> Result<(), StoreError> {
    let over = |len: u64| len as usize > max.saturating_add(max / 8);
    {
        let txn = db.begin_read().map_err(store_err)?;
        let table = txn.open_table(SYNC_STATES).map_err(store_err)?;
        if !over(table.len().map_err(store_err)?) {
            return Ok(());
        }
    }
    let txn = db.begin_write().map_err(store_err)?;
    {
        let mut table = txn.open_table(SYNC_STATES).map_err(store_err)?;
        let mut rows = Vec::new();
        for row in table.iter().map_err(store_err)? {
            let (k, v) = row.map_err(store_err)?;
            let (peer, doc) = k.value();
            rows.push((v.value().0, peer.to_owned(), doc.to_vec()));
        }
        rows.sort_unstable();
        let excess = rows.len().saturating_sub(max);
        for (_, peer, doc) in rows.into_iter().take(excess) {
            table
                .remove((peer.as_str(), doc.as_slice()))
                .map_err(store_err)?;
        }
    }
    txn.commit().map_err(store_err)
}

/// Rewrite a document's chunks as one save once they pile up.
fn compact_if_needed(db: &Database, id: &DocumentId) -> Result<(), StoreError> {
    let key = id.as_bytes().as_slice();
    let mut all = Vec::new();
    let mut count = 0usize;
    {
        let txn = db.begin_read().map_err(store_err)?;
        let table = txn.open_table(CHUNKS).map_err(store_err)?;
        for row in table.range((key, 0)..=(key, u64::MAX)).map_err(store_err)? {
            let (_, v) = row.map_err(store_err)?;
            all.extend_from_slice(v.value());
            count += 1;
        }
    }
    if count < COMPACT_AFTER {
        return Ok(());
    }
    let doc = Automerge::load(&all).map_err(store_err)?;
    let saved = doc.save();
    let txn = db.begin_write().map_err(store_err)?;
    {
        let mut table = txn.open_table(CHUNKS).map_err(store_err)?;
        // Appends that arrived since the read above are kept after the compacted save: only
        // the chunks that went into it are replaced.
        let mut seqs = Vec::new();
        for row in table.range((key, 0)..=(key, u64::MAX)).map_err(store_err)? {
            let (k, _) = row.map_err(store_err)?;
            seqs.push(k.value().1);
        }
        let replaced: Vec<u64> = seqs.iter().copied().take(count).collect();
        let Some(&last) = replaced.last() else {
            return Ok(());
        };
        for seq in &replaced {
            table.remove((key, *seq)).map_err(store_err)?;
        }
        table
            .insert((key, last), saved.as_slice())
            .map_err(store_err)?;
    }
    txn.commit().map_err(store_err)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_storage_id_is_random_per_data_directory_and_kept_in_it() {
        let (one, two) = (
            tempfile::tempdir().expect("tempdir"),
            tempfile::tempdir().expect("tempdir"),
        );
        let first = RedbStore::open(one.path())
            .expect("open")
            .storage_id
            .clone();
        let again = RedbStore::open(one.path())
            .expect("reopen")
            .storage_id
            .clone();
        let other = RedbStore::open(two.path())
            .expect("open")
            .storage_id
            .clone();
        assert_eq!(first, again, "the id is kept in the data directory");
        assert_ne!(first, other, "each data directory has its own id");
        let text = first.as_str();
        assert_eq!(text.len(), 36, "a UUID: {text}");
        assert_eq!(text.as_bytes()[14], b'4', "version 4: {text}");
    }

    #[test]
    fn sync_states_are_kept_across_a_reopen_and_the_oldest_go_past_the_limit() {
        let dir = tempfile::tempdir().expect("tempdir");
        let peer = StorageId::new("browser");
        let doc = |n: u8| DocumentId::from_random([n; 16]);
        {
            let store = RedbStore::open_with_sync_state_limit(dir.path(), 8).expect("open");
            for n in 0..9u8 {
                store.save_sync_state(&peer, &doc(n), vec![n]);
                // One batch each, so that each has its own age.
                store.flush();
                std::thread::sleep(std::time::Duration::from_millis(2));
            }
            // Nine is within an eighth over eight: all kept.
            assert_eq!(
                store.load_sync_state(&peer, &doc(0)).expect("load"),
                Some(vec![0])
            );
            store.save_sync_state(&peer, &doc(9), vec![9]);
        }
        let store = RedbStore::open_with_sync_state_limit(dir.path(), 8).expect("reopen");
        assert_eq!(store.load_sync_state(&peer, &doc(0)).expect("load"), None);
        assert_eq!(store.load_sync_state(&peer, &doc(1)).expect("load"), None);
        for n in 2..10u8 {
            assert_eq!(
                store.load_sync_state(&peer, &doc(n)).expect("load"),
                Some(vec![n])
            );
        }
        let other = StorageId::new("another browser");
        assert_eq!(store.load_sync_state(&other, &doc(5)).expect("load"), None);
    }

    #[test]
    fn appends_not_yet_written_are_on_disk_after_the_store_is_dropped() {
        use automerge::transaction::Transactable;
        let dir = tempfile::tempdir().expect("tempdir");
        let id = DocumentId::from_random([5; 16]);
        let mut doc = automerge::AutoCommit::new();
        let mut expected = Vec::new();
        {
            let store = RedbStore::open(dir.path()).expect("open");
            // Many appends in a row: the writer is still busy with the first ones when the
            // store is dropped (no flush called).
            for i in 0..200 {
                let before = doc.get_heads();
                doc.put(automerge::ROOT, "n", i as i64).expect("put");
                store.append(&id, doc.save_after(&before));
            }
            expected.extend(doc.get_heads());
        }
        let store = RedbStore::open(dir.path()).expect("reopen");
        let bytes = store.load(&id).expect("load").expect("stored");
        let loaded = Automerge::load(&bytes).expect("loads");
        assert_eq!(loaded.get_heads(), expected);
    }
}
