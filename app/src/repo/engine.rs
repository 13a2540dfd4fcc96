//! The repo's engine: everything that touches Automerge. A wasm chunk of its own, out of the
//! first download (see [`super::browser`], which fetches it right after hydration and shows the
//! documents from their snapshots until it is there): loading and saving the documents, edits,
//! signatures, knowledge bases and the relay connection. The shell reaches it only through
//! [`load_engine`], whose [`Engine`] is a set of function values; anything the shell called
//! directly would be pulled back into the first download, with Automerge behind it.
//!
//! Saving: each edit is merged with what is in storage (another tab may have written since) and
//! the result written back at once, so two tabs never overwrite each other's edits; the other tab
//! hears of it through the `storage` event and merges in turn. If a write fails (storage full),
//! the edit stays in memory, the user is told, the page asks before it is closed, and the
//! write is retried every few seconds and on the next change. Every save also rewrites the
//! document's snapshot (see [`super::snapshot`]), after the document itself.
//!
//! Damaged storage: a stored value that does not load (not JSON, not base64, not Automerge) is
//! never skipped or dropped. It is copied to a quarantine key (`goals:quarantine:<id>:<n>`)
//! before anything overwrites it, listed and shown as damaged, and the document is asked for
//! from the relay (and taken from another tab's save) to fill it again. What still loads of a
//! damaged value (a full save followed by garbage) is salvaged and shown.
//!
//! Signatures are verified here, on every change of a document, never trusted from storage
//! (or from a snapshot): until the engine is there, the views that show them say "verifying
//! signatures…".
//!
//! Syncing: one WebSocket to the relay at `/sync`, speaking the automerge-repo protocol through
//! [`repo_sync::Client`]. It reconnects with exponential backoff, at once when the browser says
//! it is back online, and announces every document this device holds. The backoff starts over
//! only once a connection has stayed up for [`STABLE_AFTER_MS`]: a relay that accepts the
//! handshake and then drops the connection is not dialled again and again.

use super::browser::{
    js_error, listen_window, random_u64, raw_get, set_if_changed, shell, storage_keys, Handles,
    DOC_PREFIX, IDENTITY_KEY, STORAGE_ID_KEY,
};
use super::snapshot::{self, Content, SNAPSHOT_PREFIX};
use super::stored::{self, Stored};
use super::{Damage, DocView, NetStatus, Recovery};
use domain::kb::{self, Practice};
use domain::sign::{fingerprint, Verifier};
use domain::{DocError, Edit, NewSheet, SheetDoc};
use gloo_storage::{LocalStorage, Storage};
use leptos::prelude::*;
use repo_sync::{Client, DocumentId, Incoming, PeerId, StorageId};
use std::cell::{Cell, RefCell};
use std::collections::{BTreeMap, HashSet};
use std::rc::Rc;
use std::time::Duration;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{BinaryType, MessageEvent, WebSocket};

/// Where a damaged stored value is kept: `goals:quarantine:<id>:<n>`, n = 1, 2, …
const QUARANTINE_PREFIX: &str = "goals:quarantine:";
const MAX_BACKOFF_MS: u32 = 30_000;
/// A connection that stayed up this long (after its handshake) resets the backoff.
const STABLE_AFTER_MS: f64 = 5_000.0;

/// What the shell asks of the engine, as function values (see the module's documentation).
#[derive(Clone, Copy)]
pub(super) struct Engine {
    /// Read every stored document, listen to storage and network events, connect to the relay,
    /// and open the documents the pages opened so far.
    pub(super) start: fn(),
    /// Read a document (or ask the relay for it) and keep its handles up to date.
    pub(super) open: fn(DocumentId),
    pub(super) edit: fn(DocumentId, Edit) -> Result<(), String>,
    pub(super) create: fn(&NewSheet) -> Result<DocumentId, String>,
    pub(super) sign_sheet: fn(DocumentId, domain::Role) -> Result<(), String>,
    pub(super) create_kb: fn(DocumentId, &str) -> Result<DocumentId, String>,
    pub(super) add_practice: fn(DocumentId, Practice) -> Result<(), String>,
    pub(super) start_next_cycle:
        fn(DocumentId, &domain::results::CarryOverLabels<'_>) -> Result<DocumentId, String>,
    /// Merge the documents of a backup file (see [`super::backup`]) into this device's.
    pub(super) restore_backup: fn(&str) -> Result<super::RestoreReport, String>,
}

/// The engine, in a wasm chunk of its own (`split_engine.<hash>.wasm`, which the service worker
/// keeps with the rest): fetched by the shell right after hydration.
#[leptos::wasm_split::wasm_split(engine, wasm_split_path = ::leptos::wasm_split, fallible)]
pub(super) fn load_engine() -> Result<Engine, leptos::wasm_split::SplitLoaderError> {
    Ok(Engine {
        start,
        open: |id| core().open(id),
        edit: |id, edit| core().edit(id, edit),
        create: |new| core().create(new),
        sign_sheet: |id, role| core().sign_sheet(id, role),
        create_kb,
        add_practice,
        start_next_cycle: |id, labels| core().start_next_cycle(id, labels),
        restore_backup: |text| core().restore_backup(text),
    })
}

thread_local! {
    static CORE: Rc<Core> = Rc::new(Core::new());
}

fn core() -> Rc<Core> {
    CORE.with(Rc::clone)
}

struct Entry {
    doc: SheetDoc,
    /// What the pages see of it (the shell's).
    h: Handles,
    verifier: Verifier,
    /// The raw storage value this copy last wrote or merged (or found damaged and kept aside),
    /// to skip reading our own writes again.
    stored: Option<String>,
    /// The relay said it does not have the document.
    unavailable: bool,
}

impl Entry {
    /// A document in memory, shown as `view`; `stored` is the storage value it was read from.
    fn new(id: DocumentId, doc: SheetDoc, view: DocView, stored: Option<String>) -> Entry {
        let h = shell().handles_of(id, || DocView::Loading);
        set_if_changed(&h.view, view);
        Entry {
            doc,
            h,
            verifier: Verifier::default(),
            stored,
            unavailable: false,
        }
    }

    /// An entry for a value read from storage. A damaged value is first copied to a quarantine
    /// key; `stored` is only set once that copy exists, so that a save cannot overwrite the
    /// damaged value before it is kept aside (the save tries the copy again).
    fn from_storage(id: DocumentId, raw: String) -> Entry {
        let (doc, damage, kept) = match stored::decode(&raw) {
            Stored::Good(doc) => {
                let view = view_of(&doc, false);
                return Entry::new(id, doc, view, Some(raw));
            }
            Stored::Salvaged(doc, reason) => (doc, reason, Recovery::Salvaged),
            Stored::Damaged(reason) => (SheetDoc::empty(), reason, Recovery::Waiting),
        };
        let kept_as = keep_aside(id, &raw);
        let damage = Damage {
            reason: damage,
            kept_as: kept_as.ok(),
            recovery: kept,
        };
        let stored = damage.kept_as.is_some().then_some(raw);
        let h = shell().handles_of(id, || DocView::Loading);
        set_if_changed(&h.damage, Some(damage));
        let mut entry = Entry {
            doc,
            h,
            verifier: Verifier::default(),
            stored,
            unavailable: false,
        };
        let view = entry.view();
        set_if_changed(&entry.h.view, view);
        entry
    }

    /// The document is readable again, filled from `source`: say so if it had been damaged.
    fn refilled(&self, source: Recovery) {
        let damage = self.h.damage.read_untracked().clone();
        if let Some(mut d) = damage.filter(|d| !d.recovered()) {
            d.recovery = source;
            self.h.damage.set(Some(d));
        }
    }

    /// The view of the document, with what is known about damage to its stored copy.
    fn view(&mut self) -> DocView {
        if self.doc.is_empty() {
            let damage = self.h.damage.read_untracked().clone();
            if let Some(mut d) = damage {
                let recovery = if self.unavailable {
                    Recovery::Lost
                } else {
                    Recovery::Waiting
                };
                if d.recovery != recovery {
                    d.recovery = recovery;
                    self.h.damage.set(Some(d.clone()));
                }
                return DocView::Broken(d.message());
            }
        }
        view_of(&self.doc, self.unavailable)
    }
}

/// Copy a damaged storage value of a document to a quarantine key (unless one already holds
/// exactly this value); returns the key.
fn keep_aside(id: DocumentId, raw: &str) -> Result<String, String> {
    let prefix = format!("{QUARANTINE_PREFIX}{id}:");
    let storage = LocalStorage::raw();
    let mut last = 0u32;
    for i in 0..storage.length().unwrap_or(0) {
        let Some(key) = storage.key(i).ok().flatten() else {
            continue;
        };
        let Some(n) = key
            .strip_prefix(&prefix)
            .and_then(|n| n.parse::<u32>().ok())
        else {
            continue;
        };
        if storage.get_item(&key).ok().flatten().as_deref() == Some(raw) {
            return Ok(key);
        }
        last = last.max(n);
    }
    let key = format!("{prefix}{}", last.saturating_add(1));
    match storage.set_item(&key, raw) {
        Ok(()) => {
            leptos::logging::warn!("a damaged copy of {id} in storage was kept aside as {key}");
            Ok(key)
        }
        Err(e) => Err(js_error(&e)),
    }
}

struct Socket {
    ws: WebSocket,
    // Kept alive as long as the socket is in use.
    _on_open: Closure<dyn FnMut()>,
    _on_message: Closure<dyn FnMut(MessageEvent)>,
    _on_close: Closure<dyn FnMut()>,
}

struct Core {
    docs: RefCell<BTreeMap<DocumentId, Entry>>,
    client: RefCell<Client>,
    socket: RefCell<Option<Socket>>,
    /// Connection attempts since a connection last stayed up (see [`STABLE_AFTER_MS`]).
    attempts: Cell<u32>,
    /// When the current connection completed its handshake (ms since the epoch).
    ready_at: Cell<Option<f64>>,
    /// Bumped on every new socket, so that a late event from an old one is ignored.
    generation: Cell<u32>,
    /// Documents whose last save failed, to retry.
    unsaved: RefCell<HashSet<DocumentId>>,
}

impl Core {
    fn new() -> Core {
        let storage_id = LocalStorage::get::<String>(STORAGE_ID_KEY).unwrap_or_else(|_| {
            let id = format!("browser-{:016x}", random_u64());
            let _ = LocalStorage::set(STORAGE_ID_KEY, &id);
            id
        });
        let me = PeerId::from_random("tab", random_u64());
        Core {
            docs: RefCell::new(BTreeMap::new()),
            client: RefCell::new(Client::new(me, Some(StorageId::new(storage_id)))),
            socket: RefCell::new(None),
            attempts: Cell::new(0),
            ready_at: Cell::new(None),
            generation: Cell::new(0),
            unsaved: RefCell::new(HashSet::new()),
        }
    }
}

fn random_doc_id() -> Result<DocumentId, String> {
    let mut b = [0u8; 16];
    getrandom::fill(&mut b).map_err(|e| format!("no random source for a new sheet id: {e}"))?;
    Ok(DocumentId::from_random(b))
}

fn start() {
    let c = core();
    c.load_all();
    listen_window("storage", |ev| {
        if let Some(ev) = ev.dyn_ref::<web_sys::StorageEvent>() {
            core().on_storage_event(ev);
        }
    });
    listen_window("online", |_| core().connect_now());
    // Closing the tab while a save is pending would lose those edits: ask first.
    listen_window("beforeunload", |ev| {
        if core().unsaved.borrow().is_empty() {
            return;
        }
        ev.prevent_default();
        if let Some(ev) = ev.dyn_ref::<web_sys::BeforeUnloadEvent>() {
            ev.set_return_value("Some edits are not saved on this device yet.");
        }
    });
    // Saves that failed (storage full) are retried until they succeed.
    let _ = set_interval_with_handle(|| core().retry_unsaved(), Duration::from_secs(5));
    listen_window("offline", |_| core().go_offline());
    c.connect();
    // What the pages opened while the engine was on its way.
    let opened = std::mem::take(&mut *shell().opened.borrow_mut());
    for id in opened {
        c.open(id);
    }
}

fn browser_online() -> bool {
    web_sys::window().is_none_or(|w| w.navigator().on_line())
}

fn view_of(doc: &SheetDoc, unavailable: bool) -> DocView {
    if kb::is_knowledge_base(doc.automerge()) {
        return DocView::KnowledgeBase;
    }
    match doc.read() {
        Ok(sheet) => DocView::Ready(sheet),
        Err(DocError::Empty) if unavailable => DocView::Unavailable,
        Err(DocError::Empty) => DocView::Fetching,
        Err(e) => DocView::Broken(e.to_string()),
    }
}

/// Write an entry to storage under `key`, merging in first whatever another tab stored since
/// this copy last looked. A damaged value found there is kept aside before it is overwritten;
/// if it cannot be, nothing is written. The error is the message for the user.
fn write(id: DocumentId, key: &str, e: &mut Entry) -> Result<(), String> {
    let mut merged = false;
    if let Some(current) = raw_get(key).filter(|c| e.stored.as_ref() != Some(c)) {
        let (theirs, damaged) = match stored::decode(&current) {
            Stored::Good(doc) => (Some(doc), None),
            Stored::Salvaged(doc, reason) => (Some(doc), Some(reason)),
            Stored::Damaged(reason) => (None, Some(reason)),
        };
        if let Some(reason) = damaged {
            let kept = keep_aside(id, &current).map_err(|err| {
                format!(
                    "This device's storage could not keep a damaged copy of the sheet aside \
                     ({err}), so it was not overwritten. Your edits are kept in this tab and will \
                     be saved when there is room; don't close the tab."
                )
            })?;
            let known = e.h.damage.read_untracked().clone();
            let damage = match known {
                // Found damaged when it was read: now it is kept aside too.
                Some(mut d) if d.kept_as.is_none() => {
                    d.kept_as = Some(kept);
                    d
                }
                Some(d) if d.kept_as.as_deref() == Some(kept.as_str()) => d,
                // Damaged since: written by another tab or program.
                _ => Damage {
                    reason,
                    kept_as: Some(kept),
                    recovery: Recovery::FromThisTab,
                },
            };
            e.h.damage.set(Some(damage));
        }
        if let Some(mut theirs) = theirs {
            let before = e.doc.heads();
            let _ = e.doc.merge(&mut theirs);
            merged = e.doc.heads() != before;
        }
    }
    let encoded = stored::encode(&mut e.doc);
    LocalStorage::raw().set_item(key, &encoded).map_err(|err| {
        format!(
            "This device's storage refused the save ({}). Your edits are kept in this tab \
                 and will be saved when there is room; don't close the tab.",
            js_error(&err)
        )
    })?;
    write_snapshot(id, &encoded, e, merged);
    e.stored = Some(encoded);
    Ok(())
}

/// Rewrite a document's snapshot, for its stored value `encoded`: the sheet the pages show, or,
/// for a knowledge base or if `merged` (another tab's copy was merged in as it was saved, so
/// the pages show less), the document read again. A document that is not readable has none. Best effort: if the
/// snapshot cannot be written (storage full), the old one is removed (it would not be used
/// anyway, being of another value of the document).
fn write_snapshot(id: DocumentId, encoded: &str, e: &mut Entry, merged: bool) {
    let key = format!("{SNAPSHOT_PREFIX}{id}");
    let shown = match &*e.h.view.read_untracked() {
        DocView::Ready(sheet) if !merged => Some(Some(Content::Sheet(sheet.clone()))),
        DocView::Ready(_) | DocView::KnowledgeBase => None,
        _ if merged => None,
        _ => Some(None),
    };
    let content = shown.unwrap_or_else(|| {
        if kb::is_knowledge_base(e.doc.automerge()) {
            kb::read(e.doc.automerge()).ok().map(Content::KnowledgeBase)
        } else {
            e.doc.read().ok().map(Content::Sheet)
        }
    });
    let storage = LocalStorage::raw();
    let written = content.is_some_and(|content| {
        storage
            .set_item(&key, &snapshot::encode(encoded, &content))
            .is_ok()
    });
    if !written {
        let _ = storage.remove_item(&key);
    }
}

impl Core {
    /// Read every stored document into memory (the shell showed them from their snapshots).
    fn load_all(&self) {
        let mut salvaged = Vec::new();
        {
            let mut docs = self.docs.borrow_mut();
            for key in storage_keys() {
                let Some(id) = key.strip_prefix(DOC_PREFIX).and_then(|s| s.parse().ok()) else {
                    continue;
                };
                let Some(raw) = raw_get(&key) else {
                    continue;
                };
                // A damaged value is listed as damaged, never skipped (see `Entry::from_storage`).
                let entry = Entry::from_storage(id, raw);
                if matches!(&*entry.h.damage.read_untracked(), Some(d) if d.recovery == Recovery::Salvaged)
                {
                    salvaged.push(id);
                }
                docs.insert(id, entry);
            }
        }
        // What was salvaged replaces its damaged value (kept aside by now, or the save waits).
        for id in salvaged {
            self.save(id);
        }
        let s = shell();
        // Documents the page could not show from a snapshot (saved by an older version of the
        // app, say) get one now, so that the next start shows them at once.
        let unsnapped = std::mem::take(&mut *s.unsnapped.borrow_mut());
        for id in unsnapped {
            if let Some(e) = self.docs.borrow_mut().get_mut(&id) {
                if e.h.damage.read_untracked().is_none() {
                    if let Some(stored) = e.stored.clone() {
                        write_snapshot(id, &stored, e, false);
                    }
                }
            }
        }
        s.refresh_list();
        s.measure();
    }

    /// Recompute a document's view and sync flag after it changed.
    fn refresh(&self, id: DocumentId) {
        let mut docs = self.docs.borrow_mut();
        let Some(e) = docs.get_mut(&id) else { return };
        let view = e.view();
        let synced = self.client.borrow().in_sync(&id, &e.doc.heads());
        // Signatures are verified here, on every change, never trusted from storage.
        let report = e.verifier.report(&mut e.doc, &id.to_string());
        let base = matches!(view, DocView::KnowledgeBase)
            .then(|| kb::read(e.doc.automerge()).ok())
            .flatten();
        let h = e.h.clone();
        drop(docs);
        set_if_changed(&h.kb, base);
        set_if_changed(&h.confirmation, report);
        set_if_changed(&h.view, view);
        set_if_changed(&h.synced, synced);
        shell().refresh_list();
    }

    /// Write a document to storage, merging in whatever another tab stored since we last looked.
    fn save(&self, id: DocumentId) {
        let key = format!("{DOC_PREFIX}{id}");
        let result = {
            let mut docs = self.docs.borrow_mut();
            let Some(e) = docs.get_mut(&id) else { return };
            if e.doc.is_empty() {
                return;
            }
            let result = write(id, &key, e);
            set_if_changed(&e.h.unsaved, result.is_err());
            result
        };
        let s = shell();
        s.measure();
        match result {
            Ok(()) => {
                let mut unsaved = self.unsaved.borrow_mut();
                unsaved.remove(&id);
                if unsaved.is_empty() && s.storage_problem.read_untracked().is_some() {
                    s.storage_problem.set(None);
                }
            }
            Err(problem) => {
                self.unsaved.borrow_mut().insert(id);
                s.storage_problem.set(Some(problem));
            }
        }
    }

    fn retry_unsaved(&self) {
        let ids: Vec<DocumentId> = self.unsaved.borrow().iter().copied().collect();
        for id in ids {
            self.save(id);
        }
    }

    /// Another tab wrote to storage: merge its copy into ours.
    fn on_storage_event(&self, ev: &web_sys::StorageEvent) {
        let Some(key) = ev.key() else { return };
        // The shell hears of the identity.
        if key == IDENTITY_KEY {
            return;
        }
        let Some(id) = key
            .strip_prefix(DOC_PREFIX)
            .and_then(|s| s.parse::<DocumentId>().ok())
        else {
            return;
        };
        let Some(raw) = ev.new_value() else { return };
        let (theirs, damaged) = match stored::decode(&raw) {
            Stored::Good(doc) => (Some(doc), None),
            Stored::Salvaged(doc, reason) => (Some(doc), Some(reason)),
            Stored::Damaged(reason) => (None, Some(reason)),
        };
        let write_back = {
            let mut docs = self.docs.borrow_mut();
            let e = docs
                .entry(id)
                .or_insert_with(|| Entry::new(id, SheetDoc::empty(), DocView::Loading, None));
            let was_empty = e.doc.is_empty();
            match (theirs, damaged) {
                // Another tab (or program) wrote a damaged value over a document this tab
                // holds: the save keeps it aside, merges what loads of it, and writes ours.
                (_, Some(_)) if !was_empty => true,
                (theirs, Some(reason)) => {
                    let kept_as = keep_aside(id, &raw).ok();
                    if kept_as.is_some() {
                        e.stored = Some(raw);
                    }
                    let salvaged = theirs.is_some();
                    if let Some(mut theirs) = theirs {
                        let _ = e.doc.merge(&mut theirs);
                    }
                    e.h.damage.set(Some(Damage {
                        reason,
                        kept_as,
                        recovery: if salvaged {
                            Recovery::Salvaged
                        } else {
                            Recovery::Waiting
                        },
                    }));
                    salvaged
                }
                (Some(mut theirs), None) => {
                    let their_heads = theirs.heads();
                    let _ = e.doc.merge(&mut theirs);
                    if was_empty && !e.doc.is_empty() {
                        e.refilled(Recovery::FromOtherTab);
                    }
                    // When ours adds nothing to theirs, storage holds exactly this document.
                    // Otherwise both tabs saved at once and storage kept only theirs: write the
                    // merge back.
                    if e.doc.heads() == their_heads {
                        e.stored = Some(raw);
                        false
                    } else {
                        true
                    }
                }
                (None, None) => false,
            }
        };
        self.refresh(id);
        if write_back {
            self.save(id);
        }
        self.push(id);
    }

    /// Merge every document of a backup into this device's copy of it (or take it, for one
    /// this device lacks), save and sync it. Merging only adds: nothing here is lost.
    fn restore_backup(&self, text: &str) -> Result<super::RestoreReport, String> {
        let documents = super::backup::read(text)?;
        let mut report = super::RestoreReport::default();
        for (id, value) in documents {
            let Ok(id) = id.parse::<DocumentId>() else {
                report.unreadable += 1;
                continue;
            };
            let raw = serde_json::to_string(&value).unwrap_or_default();
            let mut theirs = match stored::decode(&raw) {
                Stored::Good(doc) | Stored::Salvaged(doc, _) => doc,
                Stored::Damaged(_) => {
                    report.unreadable += 1;
                    continue;
                }
            };
            {
                let mut docs = self.docs.borrow_mut();
                let e = docs
                    .entry(id)
                    .or_insert_with(|| Entry::new(id, SheetDoc::empty(), DocView::Loading, None));
                let had = !e.doc.is_empty();
                let before = e.doc.heads();
                if e.doc.merge(&mut theirs).is_err() {
                    report.unreadable += 1;
                    continue;
                }
                match (had, e.doc.heads() == before) {
                    (false, _) => report.added += 1,
                    (true, false) => report.merged += 1,
                    (true, true) => report.unchanged += 1,
                }
                // The relay may have said it lacks the document: now this device has it.
                e.unavailable = false;
            }
            self.refresh(id);
            self.save(id);
            self.push(id);
        }
        Ok(report)
    }

    fn open(&self, id: DocumentId) {
        self.docs
            .borrow_mut()
            .entry(id)
            .or_insert_with(|| Entry::new(id, SheetDoc::empty(), DocView::Fetching, None));
        self.refresh(id);
        self.push(id);
    }

    fn edit(&self, id: DocumentId, edit: Edit) -> Result<(), String> {
        self.change(id, |doc, author| {
            doc.apply_by(edit, author).map_err(|e| e.to_string())
        })
    }

    /// Change a document (a sheet or a knowledge base), then sync and save it.
    fn change(
        &self,
        id: DocumentId,
        f: impl FnOnce(&mut SheetDoc, Option<&str>) -> Result<(), String>,
    ) -> Result<(), String> {
        {
            let mut docs = self.docs.borrow_mut();
            let e = docs.get_mut(&id).ok_or("this sheet is not open")?;
            if e.doc.is_empty() {
                return Err("this sheet has not arrived yet".into());
            }
            let author = self.author();
            f(&mut e.doc, author.as_deref())?;
        }
        // Send first: the other side sees the edit sooner; the save follows in the same task.
        self.push(id);
        self.refresh(id);
        self.save(id);
        self.retry_unsaved();
        Ok(())
    }

    fn create(&self, new: &NewSheet) -> Result<DocumentId, String> {
        let doc = SheetDoc::create(new).map_err(|e| e.to_string())?;
        self.insert_new(doc)
    }

    /// Keep a new document: store it, show it and sync it.
    fn insert_new(&self, doc: SheetDoc) -> Result<DocumentId, String> {
        let id = random_doc_id()?;
        let view = view_of(&doc, false);
        let entry = Entry::new(id, doc, view, None);
        self.docs.borrow_mut().insert(id, entry);
        self.save(id);
        self.refresh(id);
        self.push(id);
        Ok(id)
    }

    fn start_next_cycle(
        &self,
        id: DocumentId,
        labels: &domain::results::CarryOverLabels<'_>,
    ) -> Result<DocumentId, String> {
        let sheet = {
            let docs = self.docs.borrow();
            let e = docs.get(&id).ok_or("this sheet is not open")?;
            e.doc.read().map_err(|e| e.to_string())?
        };
        if let Some(next) = &sheet.next {
            return next
                .parse()
                .map_err(|_| "the next cycle's link is damaged".to_string());
        }
        let today = *shell().today.read_untracked();
        let plan = domain::results::plan_next(&sheet, labels, today, || {
            domain::RowId::from_random(random_u64())
        });
        let mut doc = SheetDoc::create(&plan.new).map_err(|e| e.to_string())?;
        let author = self.author();
        let mut edits: Vec<Edit> = plan.goals.into_iter().map(Edit::AddGoal).collect();
        for field in domain::PrepField::ALL {
            let value = plan.prep.text(field).to_owned();
            if !value.is_empty() {
                edits.push(Edit::Prep { field, value });
            }
        }
        edits.push(Edit::SetPrevious(id.to_string()));
        if let Some(dept) = sheet.department.clone() {
            edits.push(Edit::SetDepartment(Some(dept)));
        }
        for edit in edits {
            doc.apply_by(edit, author.as_deref())
                .map_err(|e| e.to_string())?;
        }
        let new_id = self.insert_new(doc)?;
        self.edit(id, Edit::SetNext(new_id.to_string()))?;
        Ok(new_id)
    }

    /// How changes made on this device are attributed: "name (fingerprint)", or, before an
    /// identity is set up, the device ("a device without an identity (browser-1a2b)").
    fn author(&self) -> Option<String> {
        Some(match shell().keys.borrow().as_ref() {
            Some(k) => format!("{} ({})", k.name, fingerprint(&k.public_key())),
            None => {
                let device = LocalStorage::get::<String>(STORAGE_ID_KEY).unwrap_or_default();
                let short: String = device.chars().take(12).collect();
                format!("a device without an identity ({short})")
            }
        })
    }

    fn sign_sheet(&self, id: DocumentId, role: domain::Role) -> Result<(), String> {
        let keys = shell()
            .keys
            .borrow()
            .clone()
            .ok_or("set up your identity first")?;
        let record = {
            let mut docs = self.docs.borrow_mut();
            let e = docs.get_mut(&id).ok_or("this sheet is not open")?;
            domain::sign::sign(
                &mut e.doc,
                &id.to_string(),
                &keys,
                role,
                &super::now_rfc3339(),
            )
            .map_err(|problems| {
                let list: Vec<String> = problems.iter().map(ToString::to_string).collect();
                format!("Not ready to sign: {}.", list.join("; "))
            })?
        };
        self.edit(id, Edit::Sign(record))
    }

    // --- the relay connection ---

    fn relay_url() -> Option<String> {
        let location = web_sys::window()?.location();
        let scheme = if location.protocol().ok()? == "https:" {
            "wss"
        } else {
            "ws"
        };
        Some(format!("{scheme}://{}/sync", location.host().ok()?))
    }

    fn connect(&self) {
        if self.socket.borrow().is_some() {
            return;
        }
        if !browser_online() {
            shell().status.set(NetStatus::Offline);
            return;
        }
        let Some(url) = Self::relay_url() else { return };
        let ws = match WebSocket::new(&url) {
            Ok(ws) => ws,
            Err(_) => {
                self.schedule_reconnect();
                return;
            }
        };
        ws.set_binary_type(BinaryType::Arraybuffer);
        let generation = self.generation.get().wrapping_add(1);
        self.generation.set(generation);
        let current = move || core().generation.get() == generation;
        let on_open = Closure::<dyn FnMut()>::new(move || {
            if current() {
                core().on_open();
            }
        });
        let on_message = Closure::<dyn FnMut(MessageEvent)>::new(move |ev: MessageEvent| {
            if current() {
                core().on_message(ev);
            }
        });
        let on_close = Closure::<dyn FnMut()>::new(move || {
            if current() {
                core().on_close();
            }
        });
        ws.set_onopen(Some(on_open.as_ref().unchecked_ref()));
        ws.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        ws.set_onclose(Some(on_close.as_ref().unchecked_ref()));
        // A connection that neither opens nor fails (a half-open network) is given up on.
        set_timeout(
            move || {
                let r = core();
                let stuck = r.generation.get() == generation
                    && r.socket
                        .borrow()
                        .as_ref()
                        .is_some_and(|s| s.ws.ready_state() == WebSocket::CONNECTING);
                if stuck {
                    r.on_close();
                }
            },
            Duration::from_secs(10),
        );
        *self.socket.borrow_mut() = Some(Socket {
            ws,
            _on_open: on_open,
            _on_message: on_message,
            _on_close: on_close,
        });
    }

    /// Drop the socket and retry at once (the browser says the network is back).
    fn connect_now(&self) {
        self.attempts.set(0);
        if self.socket.borrow().is_none() {
            self.connect();
        }
    }

    fn go_offline(&self) {
        self.drop_socket();
        shell().status.set(NetStatus::Offline);
        self.refresh_all();
    }

    fn drop_socket(&self) {
        self.ready_at.set(None);
        if let Some(s) = self.socket.borrow_mut().take() {
            s.ws.set_onopen(None);
            s.ws.set_onmessage(None);
            s.ws.set_onclose(None);
            let _ = s.ws.close();
        }
        self.generation.set(self.generation.get().wrapping_add(1));
        self.client.borrow_mut().closed();
    }

    fn schedule_reconnect(&self) {
        let attempt = self.attempts.get();
        self.attempts.set(attempt.saturating_add(1));
        let base = 500u32
            .saturating_mul(1u32 << attempt.min(6))
            .min(MAX_BACKOFF_MS);
        // Jitter, so that many clients of a restarted relay do not all come back at once.
        let delay = base / 2 + (random_u64() % u64::from(base / 2 + 1)) as u32;
        set_timeout(
            move || core().connect(),
            Duration::from_millis(u64::from(delay)),
        );
    }

    fn send(&self, frame: &[u8]) {
        let failed = match &*self.socket.borrow() {
            Some(s) if s.ws.ready_state() == WebSocket::OPEN => {
                s.ws.send_with_u8_array(frame).is_err()
            }
            _ => false,
        };
        if failed {
            self.on_close();
        }
    }

    fn on_open(&self) {
        let join = self.client.borrow_mut().open();
        self.send(&join);
    }

    fn on_close(&self) {
        // Only a connection that stayed up starts the backoff over: one that is dropped right
        // after its handshake (the relay answers with an error, say) backs off like a failed one.
        if let Some(ready_at) = self.ready_at.take() {
            if js_sys::Date::now() - ready_at >= STABLE_AFTER_MS {
                self.attempts.set(0);
            }
        }
        self.drop_socket();
        shell().status.set(NetStatus::Offline);
        self.refresh_all();
        if browser_online() {
            self.schedule_reconnect();
        }
    }

    fn refresh_all(&self) {
        let ids: Vec<DocumentId> = self.docs.borrow().keys().copied().collect();
        for id in ids {
            self.refresh(id);
        }
    }

    fn on_message(&self, ev: MessageEvent) {
        let Ok(buf) = ev.data().dyn_into::<js_sys::ArrayBuffer>() else {
            leptos::logging::warn!("relay sent a text frame; closing");
            self.on_close();
            return;
        };
        let bytes = js_sys::Uint8Array::new(&buf).to_vec();
        let incoming = self.client.borrow_mut().receive(&bytes);
        match incoming {
            Ok(Incoming::Ready) => {
                self.ready_at.set(Some(js_sys::Date::now()));
                shell().status.set(NetStatus::Online);
                let ids: Vec<DocumentId> = self.docs.borrow().keys().copied().collect();
                for id in ids {
                    self.push(id);
                }
            }
            Ok(Incoming::Sync { document, data }) => self.on_sync(document, &data),
            Ok(Incoming::Unavailable(document)) => {
                if let Some(e) = self.docs.borrow_mut().get_mut(&document) {
                    e.unavailable = true;
                }
                self.refresh(document);
            }
            Ok(Incoming::Ephemeral { .. } | Incoming::Nothing) => {}
            Err(e) => {
                leptos::logging::warn!("relay connection dropped: {e}");
                self.on_close();
            }
        }
    }

    fn on_sync(&self, id: DocumentId, data: &[u8]) {
        let applied = {
            let mut docs = self.docs.borrow_mut();
            let Some(e) = docs.get_mut(&id) else {
                // The relay only answers about documents we named; ignore anything else.
                return;
            };
            let before = e.doc.heads();
            let mut client = self.client.borrow_mut();
            let result = client.apply(id, &mut e.doc.automerge_mut().sync(), data);
            result.map(|()| e.doc.heads() != before)
        };
        match applied {
            Ok(changed) => {
                self.push(id);
                if changed {
                    if let Some(e) = self.docs.borrow_mut().get_mut(&id) {
                        e.unavailable = false;
                        e.refilled(Recovery::FromRelay);
                    }
                    self.refresh(id);
                    self.save(id);
                } else {
                    self.refresh(id);
                }
            }
            Err(err) => {
                leptos::logging::warn!("{err}");
                self.on_close();
            }
        }
    }

    /// Send whatever the relay lacks of a document.
    fn push(&self, id: DocumentId) {
        let frame = {
            let mut docs = self.docs.borrow_mut();
            let Some(e) = docs.get_mut(&id) else { return };
            // An empty document (one still to arrive, or whose stored copy was found damaged
            // and kept aside) is asked for.
            let empty = e.doc.is_empty();
            let mut client = self.client.borrow_mut();
            let doc = e.doc.automerge_mut();
            let frame = client.generate(id, &doc.sync(), empty);
            frame
        };
        if let Some(frame) = frame {
            self.send(&frame);
        }
    }
}

fn create_kb(sheet: DocumentId, name: &str) -> Result<DocumentId, String> {
    let doc = kb::create(name).map_err(|e| e.to_string())?;
    let c = core();
    let id = c.insert_new(SheetDoc::from_automerge(doc))?;
    c.edit(sheet, Edit::SetKnowledgeBase(id.to_string()))?;
    Ok(id)
}

fn add_practice(id: DocumentId, practice: Practice) -> Result<(), String> {
    let c = core();
    c.open(id);
    // Not on this device (never fetched, or the relay is out of reach): start this device's
    // copy, which merges with the knowledge base when that arrives (`kb::start_copy`). An
    // entry whose stored bytes do not load is left alone.
    if let Some(e) = c.docs.borrow_mut().get_mut(&id) {
        if matches!(
            *e.h.view.read_untracked(),
            DocView::Fetching | DocView::Unavailable
        ) {
            kb::start_copy(e.doc.automerge_mut()).map_err(|e| e.to_string())?;
        }
    }
    c.change(id, |doc, _| {
        kb::add(doc.automerge_mut(), &practice).map_err(|e| e.to_string())
    })
}
