//! The browser side, in the first download: what the pages see of the documents (their
//! reactive handles, the sheet list, the relay status, this device's identity), filled at once
//! from the snapshots kept beside the documents, and the engine that does the rest.
//!
//! Everything that touches Automerge (loading and saving documents, edits, signatures, the relay
//! connection, knowledge bases) is the engine ([`super::engine`]): a wasm chunk of its own
//! (`#[wasm_split(engine)]`), fetched as soon as the page is hydrated (the service worker keeps
//! it, so it also comes offline). Until it is there, every sheet this device holds is shown from
//! its snapshot ([`super::snapshot`]) and cannot be edited (`ready` is false: the pages disable
//! their fields, and the calls that change a document say the app is still starting); the
//! relay status reads "Connecting…". A document with no usable snapshot (written by an older
//! version of the app or another tab, or damaged) is shown once the engine has read it. When
//! the engine arrives it reads every document itself, which is the truth, and the pages become
//! editable.
//!
//! Everything runs on the page's single thread; the shell lives in a thread-local and callbacks
//! reach it through [`with`].

use super::engine::{self, Engine};
use super::snapshot::{self, Content, SNAPSHOT_PREFIX};
use super::{DocView, IdentityInfo, KbHandle, NetStatus, SheetHandle, SheetSummary, StorageUsage};
use domain::kb::{KnowledgeBase, Practice};
use domain::rules::WeightTotal;
use domain::sign::{fingerprint, Identity, Report};
use domain::Sheet;
use domain::{Edit, NewSheet};
use gloo_storage::{LocalStorage, Storage};
use leptos::prelude::*;
use repo_sync::DocumentId;
use std::cell::{Cell, RefCell};
use std::collections::{BTreeMap, BTreeSet};
use std::rc::Rc;
use std::time::Duration;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

pub(super) const DOC_PREFIX: &str = "goals:doc:";
pub(super) const STORAGE_ID_KEY: &str = "goals:storage-id";
/// This device's identity: its export code (secret key and name). Local storage is the only
/// place the secret is kept; whoever can read this browser profile can sign as its owner.
pub(super) const IDENTITY_KEY: &str = "goals:identity";
/// The ids of the sheets put away from the home page's list (JSON array of strings): a view
/// setting of this device, never part of a sheet.
pub(super) const ARCHIVED_KEY: &str = "goals:archived";
/// Chromium, Firefox and Safari give an origin about 5 MiB of local storage (UTF-16, so
/// 10 MiB of bytes in Chromium's count is 5 Mi characters); the lowest is assumed.
const LOCAL_STORAGE_QUOTA: u64 = 5 * 1024 * 1024;
/// What a change asked of the engine before it arrived says.
const NOT_STARTED: &str = "the app is still starting; try again in a moment";
/// How long to wait before fetching the engine again after a failed fetch.
const ENGINE_RETRY: Duration = Duration::from_secs(3);

thread_local! {
    static SHELL: Rc<Shell> = Rc::new(Shell::new());
    static STARTED: Cell<bool> = const { Cell::new(false) };
}

/// Run `f` with the shell.
pub(super) fn with<T>(f: impl FnOnce(&Shell) -> T) -> T {
    SHELL.with(|s| f(s))
}

pub(super) fn shell() -> Rc<Shell> {
    SHELL.with(Rc::clone)
}

/// What the pages see of one document.
#[derive(Clone)]
pub(super) struct Handles {
    pub(super) view: ArcRwSignal<DocView>,
    /// Whether the relay has every change of this device's copy.
    pub(super) synced: ArcRwSignal<bool>,
    pub(super) confirmation: ArcRwSignal<Option<Report>>,
    pub(super) unsaved: ArcRwSignal<bool>,
    pub(super) damage: ArcRwSignal<Option<super::Damage>>,
    pub(super) kb: ArcRwSignal<Option<KnowledgeBase>>,
}

impl Handles {
    fn new(view: DocView) -> Handles {
        Handles {
            view: ArcRwSignal::new(view),
            synced: ArcRwSignal::new(false),
            confirmation: ArcRwSignal::new(None),
            unsaved: ArcRwSignal::new(false),
            damage: ArcRwSignal::new(None),
            kb: ArcRwSignal::new(None),
        }
    }
}

/// Set a signal, unless it holds that value already (nothing that reads it runs again).
pub(super) fn set_if_changed<T: PartialEq + Send + Sync + 'static>(sig: &ArcRwSignal<T>, v: T) {
    if *sig.read_untracked() != v {
        sig.set(v);
    }
}

pub(super) struct Shell {
    /// Every document this tab knows of, as the pages see it.
    pub(super) handles: RefCell<BTreeMap<DocumentId, Handles>>,
    /// Documents a page opened before the engine was there: it opens them when it starts.
    pub(super) opened: RefCell<Vec<DocumentId>>,
    /// Stored documents without a usable snapshot when the page started: the engine writes
    /// theirs when it has read them.
    pub(super) unsnapped: RefCell<Vec<DocumentId>>,
    pub(super) status: ArcRwSignal<NetStatus>,
    pub(super) sheets: ArcRwSignal<Option<Vec<SheetSummary>>>,
    pub(super) all_sheets: ArcRwSignal<Vec<(String, Sheet)>>,
    pub(super) storage_problem: ArcRwSignal<Option<String>>,
    pub(super) identity: ArcRwSignal<Option<IdentityInfo>>,
    /// The sheets put away from the list (see [`ARCHIVED_KEY`]).
    pub(super) archived: ArcRwSignal<BTreeSet<String>>,
    pub(super) today: ArcRwSignal<chrono::NaiveDate>,
    pub(super) usage: ArcRwSignal<Option<StorageUsage>>,
    /// The engine is there: documents can be changed.
    pub(super) ready: ArcRwSignal<bool>,
    persistent: Cell<bool>,
    /// The identity's keys, loaded from storage.
    pub(super) keys: RefCell<Option<Identity>>,
    engine: Cell<Option<Engine>>,
    engine_loading: Cell<bool>,
}

impl Shell {
    fn new() -> Shell {
        Shell {
            handles: RefCell::new(BTreeMap::new()),
            opened: RefCell::new(Vec::new()),
            unsnapped: RefCell::new(Vec::new()),
            status: ArcRwSignal::new(NetStatus::Connecting),
            sheets: ArcRwSignal::new(None),
            all_sheets: ArcRwSignal::new(Vec::new()),
            storage_problem: ArcRwSignal::new(None),
            identity: ArcRwSignal::new(None),
            archived: ArcRwSignal::new(BTreeSet::new()),
            today: ArcRwSignal::new(chrono::Local::now().date_naive()),
            usage: ArcRwSignal::new(None),
            ready: ArcRwSignal::new(false),
            persistent: Cell::new(false),
            keys: RefCell::new(None),
            engine: Cell::new(None),
            engine_loading: Cell::new(false),
        }
    }

    /// The handles of a document, made (showing `initial()`) if this tab has none yet.
    pub(super) fn handles_of(&self, id: DocumentId, initial: impl FnOnce() -> DocView) -> Handles {
        self.handles
            .borrow_mut()
            .entry(id)
            .or_insert_with(|| Handles::new(initial()))
            .clone()
    }

    /// Show every stored document from its snapshot, where it has a usable one. The list is
    /// shown only if every document has one (else it waits for the engine, so that no sheet is
    /// missing from it).
    fn load_snapshots(&self) {
        let mut complete = true;
        for key in storage_keys() {
            let Some(id) = key
                .strip_prefix(DOC_PREFIX)
                .and_then(|s| s.parse::<DocumentId>().ok())
            else {
                continue;
            };
            if !self.show_snapshot(id) {
                complete = false;
                self.unsnapped.borrow_mut().push(id);
            }
        }
        if complete {
            self.refresh_list();
        }
    }

    /// Show a stored document from its snapshot, if it has a usable one (see
    /// [`snapshot::decode`]); whether it had.
    fn show_snapshot(&self, id: DocumentId) -> bool {
        let Some(stored) = raw_get(&format!("{DOC_PREFIX}{id}")) else {
            return false;
        };
        let content = raw_get(&format!("{SNAPSHOT_PREFIX}{id}"))
            .and_then(|raw| snapshot::decode(&raw, &stored));
        let h = self.handles_of(id, || DocView::Loading);
        match content {
            Some(Content::Sheet(sheet)) => set_if_changed(&h.view, DocView::Ready(sheet)),
            Some(Content::KnowledgeBase(kb)) => {
                set_if_changed(&h.view, DocView::KnowledgeBase);
                set_if_changed(&h.kb, Some(kb));
            }
            None => return false,
        }
        true
    }

    /// Another tab saved a document (its snapshot is written after it) before the engine is
    /// here: show what it saved. (Once the engine is here, it merges the document itself.)
    fn on_storage_event(&self, ev: &web_sys::StorageEvent) {
        let Some(key) = ev.key() else { return };
        if key == IDENTITY_KEY {
            self.load_identity();
            return;
        }
        if key == ARCHIVED_KEY {
            self.load_archived();
            return;
        }
        if self.engine.get().is_some() {
            return;
        }
        let Some(id) = key
            .strip_prefix(SNAPSHOT_PREFIX)
            .and_then(|s| s.parse::<DocumentId>().ok())
        else {
            return;
        };
        if self.show_snapshot(id) && self.sheets.read_untracked().is_some() {
            self.refresh_list();
        }
    }

    /// The sheet list and the sheets across documents, from the documents' views.
    pub(super) fn refresh_list(&self) {
        let today = *self.today.read_untracked();
        let handles = self.handles.borrow();
        let mut list: Vec<SheetSummary> = handles
            .iter()
            .filter_map(|(id, h)| match &*h.view.read_untracked() {
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
                    title: match &*h.damage.read_untracked() {
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
        let all: Vec<(String, Sheet)> = handles
            .iter()
            .filter_map(|(id, h)| match &*h.view.read_untracked() {
                DocView::Ready(s) => Some((id.to_string(), s.clone())),
                _ => None,
            })
            .collect();
        drop(handles);
        self.sheets.set(Some(list));
        set_if_changed(&self.all_sheets, all);
    }

    /// Measure what the app's entries take in local storage.
    pub(super) fn measure(&self) {
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
        set_if_changed(&self.usage, Some(usage));
    }

    /// Fetch the engine (unless it is there or on its way), then start it; a failed fetch is
    /// tried again every few seconds.
    fn load_engine(self: &Rc<Self>) {
        if self.engine.get().is_some() || self.engine_loading.replace(true) {
            return;
        }
        leptos::task::spawn_local(async {
            let loaded = engine::load_engine().await;
            let s = shell();
            s.engine_loading.set(false);
            match loaded {
                Ok(engine) => {
                    s.engine.set(Some(engine));
                    (engine.start)();
                    s.ready.set(true);
                }
                Err(_) => {
                    set_timeout(|| shell().load_engine(), ENGINE_RETRY);
                }
            }
        });
    }

    fn engine(&self) -> Result<Engine, String> {
        self.engine.get().ok_or_else(|| NOT_STARTED.to_string())
    }

    // --- this device's identity ---

    /// Read the list of archived sheets. An unreadable value hides nothing (every sheet is
    /// listed) and stays as it is until a sheet is archived or restored.
    fn load_archived(&self) {
        let ids = LocalStorage::get::<BTreeSet<String>>(ARCHIVED_KEY).unwrap_or_default();
        set_if_changed(&self.archived, ids);
    }

    pub(super) fn set_archived(&self, id: &str, archived: bool) -> Result<(), String> {
        let mut ids = self.archived.get_untracked();
        let changed = if archived {
            ids.insert(id.to_owned())
        } else {
            ids.remove(id)
        };
        if changed {
            LocalStorage::set(ARCHIVED_KEY, &ids)
                .map_err(|e| format!("could not save the list of archived sheets: {e}"))?;
            self.archived.set(ids);
        }
        Ok(())
    }

    pub(super) fn load_identity(&self) {
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
        set_if_changed(&self.identity, info);
    }

    fn store_identity(&self, keys: Identity) -> Result<(), String> {
        LocalStorage::set(IDENTITY_KEY, keys.export_code())
            .map_err(|e| format!("could not save the identity on this device: {e}"))?;
        self.set_identity(Some(keys));
        Ok(())
    }
}

/// Every key in local storage.
pub(super) fn storage_keys() -> Vec<String> {
    let storage = LocalStorage::raw();
    let n = storage.length().unwrap_or(0);
    (0..n)
        .filter_map(|i| storage.key(i).ok().flatten())
        .collect()
}

/// A storage value, as `localStorage.getItem` returns it.
pub(super) fn raw_get(key: &str) -> Option<String> {
    LocalStorage::raw().get_item(key).ok().flatten()
}

/// A thrown JavaScript value in words ("QuotaExceededError: …").
pub(super) fn js_error(e: &JsValue) -> String {
    match e.dyn_ref::<js_sys::Error>() {
        Some(e) => format!("{}: {}", String::from(e.name()), String::from(e.message())),
        None => e.as_string().unwrap_or_else(|| format!("{e:?}")),
    }
}

/// 64 random bits from the browser's crypto.
pub(super) fn random_u64() -> u64 {
    let mut b = [0u8; 8];
    // The browser's crypto source does not fail; a zero id would only collide, never corrupt.
    let _ = getrandom::fill(&mut b);
    u64::from_le_bytes(b)
}

pub(super) fn start() {
    if STARTED.with(|s| s.replace(true)) {
        return;
    }
    let s = shell();
    s.load_identity();
    s.load_archived();
    s.load_snapshots();
    s.measure();
    // The identity may change in another tab (and, until the engine is here, the documents).
    listen_window("storage", |ev| {
        if let Some(ev) = ev.dyn_ref::<web_sys::StorageEvent>() {
            shell().on_storage_event(ev);
        }
    });
    listen_window("online", |_| shell().load_engine());
    request_persistence();
    // Due dates depend on the day: notice midnight in a page left open.
    let _ = set_interval_with_handle(
        || {
            let s = shell();
            let now = chrono::Local::now().date_naive();
            if *s.today.read_untracked() != now {
                s.today.set(now);
                if s.sheets.read_untracked().is_some() {
                    s.refresh_list();
                }
            }
        },
        Duration::from_secs(60),
    );
    s.load_engine();
}

pub(super) fn listen_window(name: &str, f: impl FnMut(web_sys::Event) + 'static) {
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
        let s = shell();
        s.persistent.set(granted);
        s.measure();
    });
}

fn sheet_handle(id: DocumentId, h: Handles) -> SheetHandle {
    SheetHandle {
        id,
        view: h.view,
        synced: h.synced,
        confirmation: h.confirmation,
        unsaved: h.unsaved,
        damage: h.damage,
    }
}

/// Open a document: the engine reads it (or asks the relay for it); until the engine is there,
/// it shows its snapshot, or waits.
fn open_handles(id: DocumentId) -> Handles {
    start();
    let s = shell();
    match s.engine.get() {
        Some(engine) => (engine.open)(id),
        None => {
            let opened = s.opened.borrow().contains(&id);
            if !opened {
                s.opened.borrow_mut().push(id);
            }
        }
    }
    s.handles_of(id, || {
        if raw_get(&format!("{DOC_PREFIX}{id}")).is_some() {
            DocView::Loading
        } else {
            DocView::Fetching
        }
    })
}

pub(super) fn open(id: DocumentId) -> SheetHandle {
    sheet_handle(id, open_handles(id))
}

pub(super) fn open_kb(id: DocumentId) -> KbHandle {
    let h = open_handles(id);
    KbHandle {
        id,
        view: h.view,
        kb: h.kb,
    }
}

pub(super) fn edit(id: DocumentId, edit: Edit) -> Result<(), String> {
    (shell().engine()?.edit)(id, edit)
}

pub(super) fn create(new: &NewSheet) -> Result<DocumentId, String> {
    start();
    (shell().engine()?.create)(new)
}

/// Every document stored on this device, as a backup file (see [`super::backup`]).
pub(super) fn backup_text() -> String {
    let documents = storage_keys()
        .into_iter()
        .filter_map(|key| {
            let id = key.strip_prefix(DOC_PREFIX)?.to_owned();
            let raw = raw_get(&key)?;
            // A stored value is a JSON string; a damaged one goes in as it is, and reads as
            // unreadable when restored.
            Some((id, serde_json::from_str::<String>(&raw).unwrap_or(raw)))
        })
        .collect();
    super::backup::write(&super::now_rfc3339(), documents)
}

pub(super) fn restore_backup(text: &str) -> Result<super::RestoreReport, String> {
    (shell().engine()?.restore_backup)(text)
}

pub(super) fn sign_sheet(id: DocumentId, role: domain::Role) -> Result<(), String> {
    (shell().engine()?.sign_sheet)(id, role)
}

pub(super) fn create_kb(sheet: DocumentId, name: &str) -> Result<DocumentId, String> {
    (shell().engine()?.create_kb)(sheet, name)
}

pub(super) fn add_practice(id: DocumentId, practice: Practice) -> Result<(), String> {
    (shell().engine()?.add_practice)(id, practice)
}

pub(super) fn start_next_cycle(
    id: DocumentId,
    labels: &domain::results::CarryOverLabels<'_>,
) -> Result<DocumentId, String> {
    (shell().engine()?.start_next_cycle)(id, labels)
}

pub(super) fn create_identity(name: &str) -> Result<(), String> {
    if name.trim().is_empty() {
        return Err("give your name as colleagues know it".into());
    }
    let mut secret = [0u8; 32];
    getrandom::fill(&mut secret).map_err(|e| format!("no random source for a key: {e}"))?;
    shell().store_identity(Identity::from_secret(name, secret))
}

pub(super) fn import_identity(code: &str, replace: bool) -> Result<(), super::ImportProblem> {
    use super::ImportProblem;
    let keys = Identity::import_code(code).map_err(|e| ImportProblem::Invalid(e.to_string()))?;
    let s = shell();
    if !replace {
        if let Some(current) = s.keys.borrow().as_ref() {
            if current.public_key() != keys.public_key() {
                return Err(ImportProblem::WouldReplace {
                    current: current.name.clone(),
                    incoming: keys.name.clone(),
                });
            }
        }
    }
    s.store_identity(keys).map_err(ImportProblem::Invalid)
}

pub(super) fn export_identity() -> Option<String> {
    shell().keys.borrow().as_ref().map(Identity::export_code)
}
