//! The browser side: local storage, the Automerge documents, and the relay connection.
//!
//! Everything runs on the page's single thread; the repo lives in a thread-local and callbacks
//! (socket, storage and network events, timers) reach it through [`with`].
//!
//! Saving: each edit is merged with what is in storage (another tab may have written since) and
//! the result written back at once, so two tabs never overwrite each other's edits; the other tab
//! hears of it through the `storage` event and merges in turn. If a write fails (storage full),
//! the edit stays in memory, the user is told, the page asks before it is closed, and the
//! write is retried every few seconds and on the next change.
//!
//! Damaged storage: a stored value that does not load (not JSON, not base64, not Automerge) is
//! never skipped or dropped. It is copied to a quarantine key (`goals:quarantine:<id>:<n>`)
//! before anything overwrites it, listed and shown as damaged, and the document is asked for
//! from the relay (and taken from another tab's save) to fill it again. What still loads of a
//! damaged value (a full save followed by garbage) is salvaged and shown.
//!
//! Syncing: one WebSocket to the relay at `/sync`, speaking the automerge-repo protocol through
//! [`repo_sync::Client`]. It reconnects with exponential backoff, at once when the browser says
//! it is back online, and announces every document this device holds. The backoff starts over
//! only once a connection has stayed up for [`STABLE_AFTER_MS`]: a relay that accepts the
//! handshake and then drops the connection is not dialled again and again.

use super::stored::{self, Stored};
use super::{
    Damage, DocView, IdentityInfo, KbHandle, NetStatus, Recovery, SheetHandle, SheetSummary,
    StorageUsage,
};
use domain::kb::{self, KnowledgeBase, Practice};
use domain::rules::WeightTotal;
use domain::sign::{fingerprint, Identity, Report, Verifier};
use domain::Sheet;
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

const DOC_PREFIX: &str = "goals:doc:";
/// Where a damaged stored value is kept: `goals:quarantine:<id>:<n>`, n = 1, 2, …
const QUARANTINE_PREFIX: &str = "goals:quarantine:";
const STORAGE_ID_KEY: &str = "goals:storage-id";
/// This device's identity: its export code (secret key and name). Local storage is the only
/// place the secret is kept; whoever can read this browser profile can sign as its owner.
const IDENTITY_KEY: &str = "goals:identity";
const MAX_BACKOFF_MS: u32 = 30_000;
/// A connection that stayed up this long (after its handshake) resets the backoff.
const STABLE_AFTER_MS: f64 = 5_000.0;
/// Chromium, Firefox and Safari give an origin about 5 MiB of local storage (UTF-16, so
/// 10 MiB of bytes in Chromium's count is 5 Mi characters); the lowest is assumed.
const LOCAL_STORAGE_QUOTA: u64 = 5 * 1024 * 1024;

thread_local! {
    static REPO: Rc<Repo> = Rc::new(Repo::new());
    static STARTED: Cell<bool> = const { Cell::new(false) };
}

/// Run `f` with the repo.
pub(super) fn with<T>(f: impl FnOnce(&Repo) -> T) -> T {
    REPO.with(|r| f(r))
}

fn repo() -> Rc<Repo> {
    REPO.with(Rc::clone)
}

struct Entry {
    doc: SheetDoc,
    view: ArcRwSignal<DocView>,
    synced: ArcRwSignal<bool>,
    confirmation: ArcRwSignal<Option<Report>>,
    verifier: Verifier,
    kb: ArcRwSignal<Option<KnowledgeBase>>,
    /// The raw storage value this copy last wrote or merged (or found damaged and kept aside),
    /// to skip reading our own writes again.
    stored: Option<String>,
    /// The relay said it does not have the document.
    unavailable: bool,
    /// The last save failed; the document is kept in memory until a retry succeeds.
    unsaved: ArcRwSignal<bool>,
    damage: ArcRwSignal<Option<Damage>>,
}

impl Entry {
    /// A document in memory, shown as `view`; `stored` is the storage value it was read from.
    fn new(doc: SheetDoc, view: DocView, stored: Option<String>) -> Entry {
        Entry {
            doc,
            view: ArcRwSignal::new(view),
            synced: ArcRwSignal::new(false),
            confirmation: ArcRwSignal::new(None),
            verifier: Verifier::default(),
            kb: ArcRwSignal::new(None),
            stored,
            unavailable: false,
            unsaved: ArcRwSignal::new(false),
            damage: ArcRwSignal::new(None),
        }
    }

    /// An entry for a value read from storage. A damaged value is first copied to a quarantine
    /// key; `stored` is only set once that copy exists, so that a save cannot overwrite the
    /// damaged value before it is kept aside (the save tries the copy again).
    fn from_storage(id: DocumentId, raw: String) -> Entry {
        let (doc, damage, kept) = match stored::decode(&raw) {
            Stored::Good(doc) => {
                let view = view_of(&doc, false);
                return Entry::new(doc, view, Some(raw));
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
        let mut entry = Entry::new(doc, DocView::Loading, stored);
        entry.damage.set(Some(damage));
        let view = entry.view();
        entry.view.set(view);
        entry
    }

    /// The document is readable again, filled from `source`: say so if it had been damaged.
    fn refilled(&self, source: Recovery) {
        let damage = self.damage.read_untracked().clone();
        if let Some(mut d) = damage.filter(|d| !d.recovered()) {
            d.recovery = source;
            self.damage.set(Some(d));
        }
    }

    /// The view of the document, with what is known about damage to its stored copy.
    fn view(&mut self) -> DocView {
        if self.doc.is_empty() {
            let damage = self.damage.read_untracked().clone();
            if let Some(mut d) = damage {
                let recovery = if self.unavailable {
                    Recovery::Lost
                } else {
                    Recovery::Waiting
                };
                if d.recovery != recovery {
                    d.recovery = recovery;
                    self.damage.set(Some(d.clone()));
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

/// A storage value, as `localStorage.getItem` returns it.
fn raw_get(key: &str) -> Option<String> {
    LocalStorage::raw().get_item(key).ok().flatten()
}

/// A thrown JavaScript value in words ("QuotaExceededError: …").
fn js_error(e: &JsValue) -> String {
    match e.dyn_ref::<js_sys::Error>() {
        Some(e) => format!("{}: {}", String::from(e.name()), String::from(e.message())),
        None => e.as_string().unwrap_or_else(|| format!("{e:?}")),
    }
}

struct Socket {
    ws: WebSocket,
    // Kept alive as long as the socket is in use.
    _on_open: Closure<dyn FnMut()>,
    _on_message: Closure<dyn FnMut(MessageEvent)>,
    _on_close: Closure<dyn FnMut()>,
}

pub(super) struct Repo {
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
    pub(super) status: ArcRwSignal<NetStatus>,
    pub(super) sheets: ArcRwSignal<Option<Vec<SheetSummary>>>,
    pub(super) all_sheets: ArcRwSignal<Vec<(String, Sheet)>>,
    pub(super) storage_problem: ArcRwSignal<Option<String>>,
    pub(super) identity: ArcRwSignal<Option<IdentityInfo>>,
    pub(super) today: ArcRwSignal<chrono::NaiveDate>,
    pub(super) usage: ArcRwSignal<Option<StorageUsage>>,
    persistent: Cell<bool>,
    /// The identity's keys, loaded from storage.
    keys: RefCell<Option<Identity>>,
    /// How to verify a sheet's signatures, once the chunk of the views loaded on demand is
    /// there (see [`signature_verifier`]); until then no sheet has a report.
    verify: Cell<Option<VerifyFn>>,
    /// The chunk is being fetched for the verifier.
    verify_loading: Cell<bool>,
    /// When fetching it last failed (`Date.now()`), so that a change retries only now and then.
    verify_failed_at: Cell<Option<f64>>,
}

/// Verifies a sheet's signatures: [`Verifier::report`].
type VerifyFn = fn(&mut Verifier, &mut SheetDoc, &str) -> Option<Report>;

/// The signature verifier, in the wasm chunk of the views loaded on demand (see
/// `components::on_demand`): this being the only path to [`Verifier::report`], Ed25519
/// verification, SHA-512 and the replay of signed versions leave the first download. The repo
/// fetches it as soon as a sheet is open, so signatures are still verified on this device on
/// every change, never trusted from storage; the views that show them (in the chunk too) say
/// "verifying signatures…" until it is there.
#[leptos::wasm_split::wasm_split(on_demand, wasm_split_path = ::leptos::wasm_split, fallible)]
fn signature_verifier() -> Result<VerifyFn, leptos::wasm_split::SplitLoaderError> {
    Ok(|verifier, doc, id| verifier.report(doc, id))
}

impl Repo {
    fn new() -> Repo {
        let storage_id = LocalStorage::get::<String>(STORAGE_ID_KEY).unwrap_or_else(|_| {
            let id = format!("browser-{:016x}", random_u64());
            let _ = LocalStorage::set(STORAGE_ID_KEY, &id);
            id
        });
        let me = PeerId::from_random("tab", random_u64());
        Repo {
            docs: RefCell::new(BTreeMap::new()),
            client: RefCell::new(Client::new(me, Some(StorageId::new(storage_id)))),
            socket: RefCell::new(None),
            attempts: Cell::new(0),
            ready_at: Cell::new(None),
            generation: Cell::new(0),
            unsaved: RefCell::new(HashSet::new()),
            status: ArcRwSignal::new(NetStatus::Connecting),
            sheets: ArcRwSignal::new(None),
            all_sheets: ArcRwSignal::new(Vec::new()),
            storage_problem: ArcRwSignal::new(None),
            identity: ArcRwSignal::new(None),
            today: ArcRwSignal::new(chrono::Local::now().date_naive()),
            usage: ArcRwSignal::new(None),
            persistent: Cell::new(false),
            keys: RefCell::new(None),
            verify: Cell::new(None),
            verify_loading: Cell::new(false),
            verify_failed_at: Cell::new(None),
        }
    }
}

/// 64 random bits from the browser's crypto.
pub(super) fn random_u64() -> u64 {
    let mut b = [0u8; 8];
    // The browser's crypto source does not fail; a zero id would only collide, never corrupt.
    let _ = getrandom::fill(&mut b);
    u64::from_le_bytes(b)
}

fn random_doc_id() -> Result<DocumentId, String> {
    let mut b = [0u8; 16];
    getrandom::fill(&mut b).map_err(|e| format!("no random source for a new sheet id: {e}"))?;
    Ok(DocumentId::from_random(b))
}

pub(super) fn start() {
    if STARTED.with(|s| s.replace(true)) {
        return;
    }
    repo().load_identity();
    repo().load_all();
    listen_window("storage", |ev| {
        if let Some(ev) = ev.dyn_ref::<web_sys::StorageEvent>() {
            repo().on_storage_event(ev);
        }
    });
    listen_window("online", |_| repo().connect_now());
    // Closing the tab while a save is pending would lose those edits: ask first.
    listen_window("beforeunload", |ev| {
        if repo().unsaved.borrow().is_empty() {
            return;
        }
        ev.prevent_default();
        if let Some(ev) = ev.dyn_ref::<web_sys::BeforeUnloadEvent>() {
            ev.set_return_value("Some edits are not saved on this device yet.");
        }
    });
    request_persistence();
    // Saves that failed (storage full) are retried until they succeed.
    let _ = set_interval_with_handle(|| repo().retry_unsaved(), Duration::from_secs(5));
    // Due dates depend on the day: notice midnight in a page left open.
    let _ = set_interval_with_handle(
        || {
            let r = repo();
            let now = chrono::Local::now().date_naive();
            if *r.today.read_untracked() != now {
                r.today.set(now);
                r.refresh_list();
            }
        },
        Duration::from_secs(60),
    );
    listen_window("offline", |_| repo().go_offline());
    repo().connect();
}

fn listen_window(name: &str, f: impl FnMut(web_sys::Event) + 'static) {
    let Some(window) = web_sys::window() else {
        return;
    };
    let closure = Closure::<dyn FnMut(web_sys::Event)>::new(f);
    let _ = window.add_event_listener_with_callback(name, closure.as_ref().unchecked_ref());
    // The listeners live as long as the page.
    closure.forget();
}

/// Ask the browser to keep this site's storage under pressure (granted to installed apps,
/// or after user engagement); the answer is shown with the storage figures.
fn request_persistence() {
    let Some(storage) = web_sys::window().map(|w| w.navigator().storage()) else {
        return;
    };
    let Ok(promise) = storage.persist() else {
        return;
    };
    leptos::task::spawn_local(async move {
        let granted = wasm_bindgen_futures::JsFuture::from(promise)
            .await
            .ok()
            .and_then(|v| v.as_bool())
            .unwrap_or(false);
        let r = repo();
        r.persistent.set(granted);
        r.measure();
    });
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
            let known = e.damage.read_untracked().clone();
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
            e.damage.set(Some(damage));
        }
        if let Some(mut theirs) = theirs {
            let _ = e.doc.merge(&mut theirs);
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
    e.stored = Some(encoded);
    Ok(())
}

impl Repo {
    /// Read every stored sheet into memory.
    fn load_all(&self) {
        let keys: Vec<String> = {
            let storage = LocalStorage::raw();
            let n = storage.length().unwrap_or(0);
            (0..n)
                .filter_map(|i| storage.key(i).ok().flatten())
                .collect()
        };
        let mut salvaged = Vec::new();
        {
            let mut docs = self.docs.borrow_mut();
            for key in keys {
                let Some(id) = key.strip_prefix(DOC_PREFIX).and_then(|s| s.parse().ok()) else {
                    continue;
                };
                let Some(raw) = raw_get(&key) else {
                    continue;
                };
                // A damaged value is listed as damaged, never skipped (see `Entry::from_storage`).
                let entry = Entry::from_storage(id, raw);
                if matches!(&*entry.damage.read_untracked(), Some(d) if d.recovery == Recovery::Salvaged)
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
        self.refresh_list();
        self.measure();
    }

    fn refresh_list(&self) {
        let today = *self.today.read_untracked();
        let docs = self.docs.borrow();
        let mut list: Vec<SheetSummary> = docs
            .iter()
            .filter_map(|(id, e)| match &*e.view.read_untracked() {
                DocView::Ready(s) => Some(SheetSummary {
                    id: id.to_string(),
                    title: s.title.clone(),
                    employee: s.employee.clone(),
                    manager: s.manager.clone(),
                    cycle: Some(s.cycle),
                    goals: s.goals.len(),
                    weight_total: WeightTotal::of(s).total,
                    check_in: Some(domain::cadence::status(s, today)),
                }),
                DocView::Broken(reason) => Some(SheetSummary {
                    id: id.to_string(),
                    title: match &*e.damage.read_untracked() {
                        Some(d) => format!("Damaged sheet ({})", d.reason),
                        None => format!("Unreadable sheet ({reason})"),
                    },
                    employee: String::new(),
                    manager: String::new(),
                    cycle: None,
                    goals: 0,
                    weight_total: 0,
                    check_in: None,
                }),
                _ => None,
            })
            .collect();
        domain::sort::sort_by(&mut list, |a, b| {
            b.cycle
                .map(|c| c.start)
                .cmp(&a.cycle.map(|c| c.start))
                .then_with(|| a.title.cmp(&b.title))
        });
        let all: Vec<(String, Sheet)> = docs
            .iter()
            .filter_map(|(id, e)| match &*e.view.read_untracked() {
                DocView::Ready(s) => Some((id.to_string(), s.clone())),
                _ => None,
            })
            .collect();
        drop(docs);
        self.sheets.set(Some(list));
        if *self.all_sheets.read_untracked() != all {
            self.all_sheets.set(all);
        }
    }

    /// Recompute a document's view and sync flag after it changed.
    fn refresh(&self, id: DocumentId) {
        let mut docs = self.docs.borrow_mut();
        let Some(e) = docs.get_mut(&id) else { return };
        let view = e.view();
        let synced = self.client.borrow().in_sync(&id, &e.doc.heads());
        // Signatures are verified here, on every change, never trusted from storage: no report
        // until the verifier is there (fetched from here, see `signature_verifier`).
        let verify = self.verify.get();
        let report = verify.and_then(|verify| verify(&mut e.verifier, &mut e.doc, &id.to_string()));
        let base = matches!(view, DocView::KnowledgeBase)
            .then(|| kb::read(e.doc.automerge()).ok())
            .flatten();
        if *e.kb.read_untracked() != base {
            e.kb.set(base);
        }
        let (view_sig, synced_sig, report_sig) =
            (e.view.clone(), e.synced.clone(), e.confirmation.clone());
        drop(docs);
        if *report_sig.read_untracked() != report {
            report_sig.set(report);
        }
        if *view_sig.read_untracked() != view {
            view_sig.set(view);
        }
        if *synced_sig.read_untracked() != synced {
            synced_sig.set(synced);
        }
        if verify.is_none() {
            self.load_verifier(false);
        }
        self.refresh_list();
    }

    /// Fetch the signature verifier (the chunk of the views loaded on demand), unless it is
    /// there or on its way, then verify every open sheet. After a failed fetch, a change tries
    /// again at most every 5 s; `now` tries at once (a view from the chunk was just shown, so
    /// it is there).
    fn load_verifier(&self, now: bool) {
        if self.verify.get().is_some() || self.verify_loading.get() {
            return;
        }
        let failed_recently = self
            .verify_failed_at
            .get()
            .is_some_and(|at| js_sys::Date::now() - at < 5_000.0);
        if failed_recently && !now {
            return;
        }
        self.verify_loading.set(true);
        leptos::task::spawn_local(async {
            let loaded = signature_verifier().await;
            let r = repo();
            r.verify_loading.set(false);
            match loaded {
                Ok(verify) => {
                    r.verify.set(Some(verify));
                    r.refresh_all();
                }
                Err(_) => r.verify_failed_at.set(Some(js_sys::Date::now())),
            }
        });
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
            if *e.unsaved.read_untracked() == result.is_ok() {
                e.unsaved.set(result.is_err());
            }
            result
        };
        self.measure();
        match result {
            Ok(()) => {
                let mut unsaved = self.unsaved.borrow_mut();
                unsaved.remove(&id);
                if unsaved.is_empty() && self.storage_problem.read_untracked().is_some() {
                    self.storage_problem.set(None);
                }
            }
            Err(problem) => {
                self.unsaved.borrow_mut().insert(id);
                self.storage_problem.set(Some(problem));
            }
        }
    }

    /// Measure what the app's entries take in local storage.
    fn measure(&self) {
        let storage = LocalStorage::raw();
        let n = storage.length().unwrap_or(0);
        let mut used = 0u64;
        for i in 0..n {
            let Some(key) = storage.key(i).ok().flatten() else {
                continue;
            };
            if !key.starts_with("goals:") {
                continue;
            }
            let len = storage
                .get_item(&key)
                .ok()
                .flatten()
                .map_or(0, |v| v.encode_utf16().count());
            used += 2 * (key.encode_utf16().count() + len) as u64;
        }
        let usage = StorageUsage {
            used,
            quota: 2 * LOCAL_STORAGE_QUOTA,
            persistent: self.persistent.get(),
        };
        if *self.usage.read_untracked() != Some(usage) {
            self.usage.set(Some(usage));
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
        if key == IDENTITY_KEY {
            self.load_identity();
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
                .or_insert_with(|| Entry::new(SheetDoc::empty(), DocView::Loading, None));
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
                    e.damage.set(Some(Damage {
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

    fn open(&self, id: DocumentId) -> SheetHandle {
        let handle = {
            let mut docs = self.docs.borrow_mut();
            let e = docs
                .entry(id)
                .or_insert_with(|| Entry::new(SheetDoc::empty(), DocView::Fetching, None));
            SheetHandle {
                id,
                view: e.view.clone(),
                synced: e.synced.clone(),
                confirmation: e.confirmation.clone(),
                unsaved: e.unsaved.clone(),
                damage: e.damage.clone(),
            }
        };
        self.refresh(id);
        self.push(id);
        handle
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
        self.docs
            .borrow_mut()
            .insert(id, Entry::new(doc, view, None));
        self.save(id);
        self.refresh(id);
        self.push(id);
        Ok(id)
    }

    fn open_kb(&self, id: DocumentId) -> KbHandle {
        let sheet = self.open(id);
        let kb = self
            .docs
            .borrow()
            .get(&id)
            .map(|e| e.kb.clone())
            .unwrap_or_else(|| ArcRwSignal::new(None));
        KbHandle {
            id,
            view: sheet.view,
            kb,
        }
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
        let today = *self.today.read_untracked();
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

    // --- this device's identity ---

    fn load_identity(&self) {
        let keys = LocalStorage::get::<String>(IDENTITY_KEY)
            .ok()
            .and_then(|code| Identity::import_code(&code).ok());
        self.set_identity(keys);
    }

    fn set_identity(&self, keys: Option<Identity>) {
        let info = keys.as_ref().map(|k| IdentityInfo {
            name: k.name.clone(),
            key: k.public_key(),
            fingerprint: fingerprint(&k.public_key()),
        });
        *self.keys.borrow_mut() = keys;
        if *self.identity.read_untracked() != info {
            self.identity.set(info);
        }
    }

    fn store_identity(&self, keys: Identity) -> Result<(), String> {
        LocalStorage::set(IDENTITY_KEY, keys.export_code())
            .map_err(|e| format!("could not save the identity on this device: {e}"))?;
        self.set_identity(Some(keys));
        Ok(())
    }

    /// How changes made on this device are attributed: "name (fingerprint)", or, before an
    /// identity is set up, the device ("a device without an identity (browser-1a2b)").
    fn author(&self) -> Option<String> {
        Some(match self.keys.borrow().as_ref() {
            Some(k) => format!("{} ({})", k.name, fingerprint(&k.public_key())),
            None => {
                let device = LocalStorage::get::<String>(STORAGE_ID_KEY).unwrap_or_default();
                let short: String = device.chars().take(12).collect();
                format!("a device without an identity ({short})")
            }
        })
    }

    fn sign_sheet(&self, id: DocumentId, role: domain::Role) -> Result<(), String> {
        let keys = self
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
            self.status.set(NetStatus::Offline);
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
        let current = move || repo().generation.get() == generation;
        let on_open = Closure::<dyn FnMut()>::new(move || {
            if current() {
                repo().on_open();
            }
        });
        let on_message = Closure::<dyn FnMut(MessageEvent)>::new(move |ev: MessageEvent| {
            if current() {
                repo().on_message(ev);
            }
        });
        let on_close = Closure::<dyn FnMut()>::new(move || {
            if current() {
                repo().on_close();
            }
        });
        ws.set_onopen(Some(on_open.as_ref().unchecked_ref()));
        ws.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        ws.set_onclose(Some(on_close.as_ref().unchecked_ref()));
        // A connection that neither opens nor fails (a half-open network) is given up on.
        set_timeout(
            move || {
                let r = repo();
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
        self.status.set(NetStatus::Offline);
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
            move || repo().connect(),
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
        self.status.set(NetStatus::Offline);
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
                self.status.set(NetStatus::Online);
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

/// A view from the chunk of the views loaded on demand was shown: the signature verifier in it
/// is there too, if it was not yet.
pub(super) fn on_demand_loaded() {
    repo().load_verifier(true);
}

pub(super) fn open(id: DocumentId) -> SheetHandle {
    start();
    repo().open(id)
}

pub(super) fn edit(id: DocumentId, edit: Edit) -> Result<(), String> {
    repo().edit(id, edit)
}

pub(super) fn create_identity(name: &str) -> Result<(), String> {
    if name.trim().is_empty() {
        return Err("give your name as colleagues know it".into());
    }
    let mut secret = [0u8; 32];
    getrandom::fill(&mut secret).map_err(|e| format!("no random source for a key: {e}"))?;
    repo().store_identity(Identity::from_secret(name, secret))
}

pub(super) fn import_identity(code: &str, replace: bool) -> Result<(), super::ImportProblem> {
    use super::ImportProblem;
    let keys = Identity::import_code(code).map_err(|e| ImportProblem::Invalid(e.to_string()))?;
    let r = repo();
    if !replace {
        if let Some(current) = r.keys.borrow().as_ref() {
            if current.public_key() != keys.public_key() {
                return Err(ImportProblem::WouldReplace {
                    current: current.name.clone(),
                    incoming: keys.name.clone(),
                });
            }
        }
    }
    r.store_identity(keys).map_err(ImportProblem::Invalid)
}

pub(super) fn export_identity() -> Option<String> {
    repo().keys.borrow().as_ref().map(Identity::export_code)
}

pub(super) fn sign_sheet(id: DocumentId, role: domain::Role) -> Result<(), String> {
    repo().sign_sheet(id, role)
}

pub(super) fn open_kb(id: DocumentId) -> KbHandle {
    start();
    repo().open_kb(id)
}

pub(super) fn create_kb(sheet: DocumentId, name: &str) -> Result<DocumentId, String> {
    let doc = kb::create(name).map_err(|e| e.to_string())?;
    let r = repo();
    let id = r.insert_new(SheetDoc::from_automerge(doc))?;
    r.edit(sheet, Edit::SetKnowledgeBase(id.to_string()))?;
    Ok(id)
}

pub(super) fn add_practice(id: DocumentId, practice: Practice) -> Result<(), String> {
    let r = repo();
    let _ = r.open_kb(id);
    // Not on this device (never fetched, or the relay is out of reach): start this device's
    // copy, which merges with the knowledge base when that arrives (`kb::start_copy`). An
    // entry whose stored bytes do not load is left alone.
    if let Some(e) = r.docs.borrow_mut().get_mut(&id) {
        if matches!(
            *e.view.read_untracked(),
            DocView::Fetching | DocView::Unavailable
        ) {
            kb::start_copy(e.doc.automerge_mut()).map_err(|e| e.to_string())?;
        }
    }
    r.change(id, |doc, _| {
        kb::add(doc.automerge_mut(), &practice).map_err(|e| e.to_string())
    })
}

pub(super) fn start_next_cycle(
    id: DocumentId,
    labels: &domain::results::CarryOverLabels<'_>,
) -> Result<DocumentId, String> {
    repo().start_next_cycle(id, labels)
}

pub(super) fn create(new: &NewSheet) -> Result<DocumentId, String> {
    start();
    repo().create(new)
}
