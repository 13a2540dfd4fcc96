//! The browser's documents, as the pages see them.
//!
//! Pages ask for reactive handles ([`open`], [`sheets`], [`net_status`]) and send [`Edit`]s
//! ([`edit`]). In the browser these are backed by [`browser`] (the handles, filled at once from
//! each document's [`snapshot`]) and its engine (local storage, Automerge and the relay
//! connection, in a wasm chunk of its own fetched right after hydration; pages are read-only
//! until it is there, see [`ready`]). On the server the same calls return handles in their
//! initial state and change nothing; they are only reached from effects and event handlers,
//! which do not run there.

#[cfg(feature = "hydrate")]
mod browser;
#[cfg(feature = "hydrate")]
mod engine;
#[cfg(any(feature = "hydrate", test))]
mod snapshot;
#[cfg(any(feature = "hydrate", test))]
mod stored;

use domain::{Cycle, Edit, NewSheet, Sheet};
use leptos::prelude::*;
use repo_sync::DocumentId;

/// The relay connection as the user sees it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NetStatus {
    /// Not started yet, or connecting for the first time.
    Connecting,
    Online,
    /// No connection; retrying (or waiting for the network to come back).
    Offline,
}

/// A sheet's state on this device.
// One value per open sheet, held in a signal: boxing the large variant would gain nothing.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Clone, PartialEq)]
pub enum DocView {
    /// Not read from storage yet.
    Loading,
    /// Not on this device: asking the relay for it.
    Fetching,
    /// Neither this device nor the relay has it.
    Unavailable,
    Ready(Sheet),
    /// On this device but not readable as a sheet; the message says why.
    Broken(String),
    /// A knowledge base document, not a sheet.
    KnowledgeBase,
}

/// A copy of a document on this device that was found damaged in storage, and what became of it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Damage {
    /// What was wrong with the stored copy.
    pub reason: String,
    /// The storage key the damaged value was copied to. `None` if the copy failed (storage
    /// full): the damaged value then stays where it is and nothing overwrites it.
    pub kept_as: Option<String>,
    pub recovery: Recovery,
}

/// Where a damaged copy stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Recovery {
    /// Nothing of it could be read: waiting for the relay or another tab to have the document.
    Waiting,
    /// Nothing of it could be read, and the relay does not have the document.
    Lost,
    /// Part of it could be read and is shown; the relay adds whatever else it has.
    Salvaged,
    /// Filled again from the relay.
    FromRelay,
    /// Filled again from another tab of this browser.
    FromOtherTab,
    /// Another tab (or program) wrote a damaged value; this tab's copy replaced it.
    FromThisTab,
}

impl Damage {
    /// Whether the document is readable again.
    pub fn recovered(&self) -> bool {
        !matches!(self.recovery, Recovery::Waiting | Recovery::Lost)
    }

    /// What happened, in English (pages translate it with `i18n::tr`).
    pub fn message(&self) -> String {
        let reason = &self.reason;
        match self.recovery {
            Recovery::Waiting => format!(
                "The copy of this sheet on this device is damaged ({reason}). It will be filled \
                 again from the relay or another tab as soon as one of them has it."
            ),
            Recovery::Lost => format!(
                "The copy of this sheet on this device is damaged ({reason}), and the relay does \
                 not have this sheet."
            ),
            Recovery::Salvaged => format!(
                "The copy of this sheet on this device was damaged ({reason}). What could be \
                 read from it is shown; whatever else the relay has is added."
            ),
            Recovery::FromRelay => format!(
                "The copy of this sheet on this device was damaged ({reason}). It has been \
                 filled again from the relay."
            ),
            Recovery::FromOtherTab => format!(
                "The copy of this sheet on this device was damaged ({reason}). It has been \
                 filled again from another tab."
            ),
            Recovery::FromThisTab => format!(
                "The copy of this sheet in this device's storage was overwritten with damaged \
                 data ({reason}). It has been written again from this tab."
            ),
        }
    }

    /// Where the damaged data is, in English.
    pub fn kept_message(&self) -> String {
        match &self.kept_as {
            Some(key) => format!(
                "The damaged data is kept in this browser's storage under “{key}”; nothing was \
                 deleted."
            ),
            None => "The damaged data could not be copied aside (the storage is full), so it \
                     stays where it is and nothing overwrites it."
                .into(),
        }
    }
}

/// A line of the sheet list.
#[derive(Debug, Clone, PartialEq)]
pub struct SheetSummary {
    pub id: String,
    pub title: String,
    pub employee: String,
    pub manager: String,
    pub cycle: Option<Cycle>,
    pub goals: usize,
    pub weight_total: u32,
    /// Where the sheet stands on its follow-up rhythm today.
    pub check_in: Option<domain::cadence::CheckInStatus>,
}

/// A page's view of one sheet.
#[derive(Clone)]
pub struct SheetHandle {
    pub id: DocumentId,
    pub view: ArcRwSignal<DocView>,
    /// Whether the relay has every change of this device's copy.
    pub synced: ArcRwSignal<bool>,
    /// The signatures, verified on this device every time the sheet changes; `None` until the
    /// engine (fetched right after hydration) is there: never taken from storage.
    pub confirmation: ArcRwSignal<Option<domain::sign::Report>>,
    /// Edits not written to this device's storage yet: the last save failed, they are kept in
    /// memory and the save is retried.
    pub unsaved: ArcRwSignal<bool>,
    /// Set when this device's stored copy was found damaged.
    pub damage: ArcRwSignal<Option<Damage>>,
}

/// This device's identity, as shown (the secret key never leaves the repo).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IdentityInfo {
    pub name: String,
    pub key: String,
    pub fingerprint: String,
}

/// Whether documents can be changed: the engine (the wasm chunk with Automerge, fetched right
/// after hydration) is there. Until then pages show the sheets from their snapshots with their
/// fields disabled; the calls that change a document return an error.
pub fn ready() -> ArcRwSignal<bool> {
    #[cfg(feature = "hydrate")]
    return browser::with(|r| r.ready.clone());
    #[cfg(not(feature = "hydrate"))]
    ArcRwSignal::new(false)
}

/// The identity used on this device to join sheets and sign, if one has been made.
pub fn identity() -> ArcRwSignal<Option<IdentityInfo>> {
    #[cfg(feature = "hydrate")]
    return browser::with(|r| r.identity.clone());
    #[cfg(not(feature = "hydrate"))]
    ArcRwSignal::new(None)
}

/// Make a new identity (a fresh key pair) with this name.
pub fn create_identity(name: &str) -> Result<(), String> {
    #[cfg(feature = "hydrate")]
    return browser::create_identity(name);
    #[cfg(not(feature = "hydrate"))]
    {
        let _ = name;
        Err("identities live in the browser".into())
    }
}

/// Replace this device's identity with one exported from another device.
///
/// A different identity already on this device is only replaced with `replace`: its key would
/// be lost unless it was exported, so the user is asked first.
pub fn import_identity(code: &str, replace: bool) -> Result<(), ImportProblem> {
    #[cfg(feature = "hydrate")]
    return browser::import_identity(code, replace);
    #[cfg(not(feature = "hydrate"))]
    {
        let _ = (code, replace);
        Err(ImportProblem::Invalid(
            "identities live in the browser".into(),
        ))
    }
}

/// Why an identity was not imported.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ImportProblem {
    /// The code is not a valid identity code (the reason says why).
    Invalid(String),
    /// It is valid but would replace this device's identity: ask first.
    WouldReplace { current: String, incoming: String },
}

/// The code that carries this identity to another device.
pub fn export_identity() -> Option<String> {
    #[cfg(feature = "hydrate")]
    return browser::export_identity();
    #[cfg(not(feature = "hydrate"))]
    None
}

/// Sign a sheet as one of its parties, with this device's identity.
pub fn sign_sheet(id: DocumentId, role: domain::Role) -> Result<(), String> {
    #[cfg(feature = "hydrate")]
    return browser::sign_sheet(id, role);
    #[cfg(not(feature = "hydrate"))]
    {
        let _ = (id, role);
        Err("signing needs the browser".into())
    }
}

/// Today in the user's time zone; in the browser it moves on at midnight.
pub fn today() -> ArcRwSignal<chrono::NaiveDate> {
    #[cfg(feature = "hydrate")]
    return browser::with(|r| r.today.clone());
    #[cfg(not(feature = "hydrate"))]
    ArcRwSignal::new(chrono::Local::now().date_naive())
}

/// The current time, RFC 3339, in the user's time zone.
pub fn now_rfc3339() -> String {
    chrono::Local::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, false)
}

/// A page's view of a knowledge base document.
#[derive(Clone)]
pub struct KbHandle {
    pub id: DocumentId,
    pub view: ArcRwSignal<DocView>,
    pub kb: ArcRwSignal<Option<domain::kb::KnowledgeBase>>,
}

/// Every readable sheet on this device, with its id, for views across sheets (the cascade).
pub fn all_sheets() -> ArcRwSignal<Vec<(String, Sheet)>> {
    #[cfg(feature = "hydrate")]
    return browser::with(|r| r.all_sheets.clone());
    #[cfg(not(feature = "hydrate"))]
    ArcRwSignal::new(Vec::new())
}

/// Open a knowledge base by id (fetched from the relay if this device lacks it).
pub fn open_kb(id: DocumentId) -> KbHandle {
    #[cfg(feature = "hydrate")]
    return browser::open_kb(id);
    #[cfg(not(feature = "hydrate"))]
    KbHandle {
        id,
        view: ArcRwSignal::new(DocView::Loading),
        kb: ArcRwSignal::new(None),
    }
}

/// Make a knowledge base for a department sheet and attach it.
pub fn create_kb(sheet: DocumentId, name: &str) -> Result<DocumentId, String> {
    #[cfg(feature = "hydrate")]
    return browser::create_kb(sheet, name);
    #[cfg(not(feature = "hydrate"))]
    {
        let _ = (sheet, name);
        Err("knowledge bases live in the browser".into())
    }
}

/// Add a good practice to a knowledge base.
pub fn add_practice(kb: DocumentId, practice: domain::kb::Practice) -> Result<(), String> {
    #[cfg(feature = "hydrate")]
    return browser::add_practice(kb, practice);
    #[cfg(not(feature = "hydrate"))]
    {
        let _ = (kb, practice);
        Err("knowledge bases live in the browser".into())
    }
}

/// Start the next cycle's sheet from this one, worded with `labels` (the user's language);
/// returns the new sheet's id.
pub fn start_next_cycle(
    id: DocumentId,
    labels: &domain::results::CarryOverLabels<'_>,
) -> Result<DocumentId, String> {
    #[cfg(feature = "hydrate")]
    return browser::start_next_cycle(id, labels);
    #[cfg(not(feature = "hydrate"))]
    {
        let _ = (id, labels);
        Err("needs the browser".into())
    }
}

/// Start the store and the relay connection (once; later calls do nothing).
pub fn start() {
    #[cfg(feature = "hydrate")]
    browser::start();
}

/// The relay connection status.
pub fn net_status() -> ArcRwSignal<NetStatus> {
    #[cfg(feature = "hydrate")]
    return browser::with(|r| r.status.clone());
    #[cfg(not(feature = "hydrate"))]
    ArcRwSignal::new(NetStatus::Connecting)
}

/// A problem saving to this device's storage, if the last save failed.
pub fn storage_problem() -> ArcRwSignal<Option<String>> {
    #[cfg(feature = "hydrate")]
    return browser::with(|r| r.storage_problem.clone());
    #[cfg(not(feature = "hydrate"))]
    ArcRwSignal::new(None)
}

/// How much of the browser's local storage the app uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StorageUsage {
    /// Bytes used by this app's entries (local storage keeps UTF-16: two bytes a character).
    pub used: u64,
    /// What the browser allows an origin in local storage.
    pub quota: u64,
    /// Whether the browser agreed to keep this site's storage (not evict it under pressure).
    pub persistent: bool,
}

impl StorageUsage {
    /// Past this share of the quota the user is warned.
    pub const WARN_AT: f64 = 0.8;

    pub fn near_full(&self) -> bool {
        self.used as f64 >= self.quota as f64 * Self::WARN_AT
    }
}

/// The app's storage use, measured after every save (`None` before the first).
pub fn storage_usage() -> ArcRwSignal<Option<StorageUsage>> {
    #[cfg(feature = "hydrate")]
    return browser::with(|r| r.usage.clone());
    #[cfg(not(feature = "hydrate"))]
    ArcRwSignal::new(None)
}

/// The sheets this device holds, or `None` before storage has been read.
pub fn sheets() -> ArcRwSignal<Option<Vec<SheetSummary>>> {
    #[cfg(feature = "hydrate")]
    return browser::with(|r| r.sheets.clone());
    #[cfg(not(feature = "hydrate"))]
    ArcRwSignal::new(None)
}

/// The ids of the sheets archived on this device: kept and synced as ever, but listed apart on
/// the home page.
pub fn archived() -> ArcRwSignal<std::collections::BTreeSet<String>> {
    #[cfg(feature = "hydrate")]
    return browser::with(|r| r.archived.clone());
    #[cfg(not(feature = "hydrate"))]
    ArcRwSignal::new(Default::default())
}

/// Archive a sheet (put it away from the list) or bring it back.
pub fn set_archived(id: &str, archived: bool) -> Result<(), String> {
    #[cfg(feature = "hydrate")]
    return browser::with(|r| r.set_archived(id, archived));
    #[cfg(not(feature = "hydrate"))]
    {
        let _ = (id, archived);
        Err("archiving needs the browser".into())
    }
}

/// What restoring a backup did, document by document.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct RestoreReport {
    /// Documents this device did not have.
    pub added: usize,
    /// Documents the backup added changes to.
    pub merged: usize,
    /// Documents this device already had in full.
    pub unchanged: usize,
    /// Entries of the backup that could not be read (left out).
    pub unreadable: usize,
}

/// A backup of every document on this device, as the text of a file (JSON; see [`backup`]).
pub fn backup_text() -> Result<String, String> {
    #[cfg(feature = "hydrate")]
    return Ok(browser::backup_text());
    #[cfg(not(feature = "hydrate"))]
    Err("backups are made in the browser".into())
}

/// Merge a backup file's documents into this device's.
pub fn restore_backup(text: &str) -> Result<RestoreReport, String> {
    #[cfg(feature = "hydrate")]
    return browser::restore_backup(text);
    #[cfg(not(feature = "hydrate"))]
    {
        let _ = text;
        Err("backups are restored in the browser".into())
    }
}

/// The backup file: `{"format": "goal-sheets-backup", "version": 1, "made": "<RFC 3339>",
/// "documents": {"<document id>": "<base64 of its Automerge bytes>"}}`. The identity is never
/// part of it (it has its own export).
#[cfg(any(feature = "hydrate", test))]
pub mod backup {
    use std::collections::BTreeMap;

    pub const FORMAT: &str = "goal-sheets-backup";
    pub const VERSION: u64 = 1;

    #[derive(serde::Serialize, serde::Deserialize)]
    struct File {
        format: String,
        version: u64,
        #[serde(default)]
        made: String,
        documents: BTreeMap<String, String>,
    }

    /// The file for these documents (id → base64 of its bytes).
    pub fn write(made: &str, documents: BTreeMap<String, String>) -> String {
        let file = File {
            format: FORMAT.into(),
            version: VERSION,
            made: made.into(),
            documents,
        };
        serde_json::to_string_pretty(&file).unwrap_or_default()
    }

    /// The documents of a backup file, or why it is not one.
    pub fn read(text: &str) -> Result<BTreeMap<String, String>, String> {
        let not_backup = || "this file is not a backup of goal sheets".to_string();
        let value: serde_json::Value = serde_json::from_str(text).map_err(|_| not_backup())?;
        if value.get("format").and_then(|f| f.as_str()) != Some(FORMAT) {
            return Err(not_backup());
        }
        let file: File = serde_json::from_value(value).map_err(|_| not_backup())?;
        if file.version > VERSION {
            return Err(format!(
                "this backup was made by a newer version of the app (format {}); update the app",
                file.version
            ));
        }
        Ok(file.documents)
    }

    #[cfg(test)]
    mod tests {
        use super::*;

        #[test]
        fn a_backup_reads_back_its_documents() {
            let docs = BTreeMap::from([("a".to_string(), "QUJD".to_string())]);
            let text = write("2026-12-01T04:00:00Z", docs.clone());
            assert_eq!(read(&text), Ok(docs));
        }

        #[test]
        fn what_is_not_a_backup_says_so() {
            let not = Err("this file is not a backup of goal sheets".to_string());
            assert_eq!(read("not json"), not);
            assert_eq!(read(r#"{"documents": {}}"#), not);
            assert_eq!(
                read(r#"{"format": "something-else", "version": 1, "documents": {}}"#),
                not
            );
            assert_eq!(
                read(r#"{"format": "goal-sheets-backup", "version": 1, "documents": [1]}"#),
                not
            );
            let newer = read(r#"{"format": "goal-sheets-backup", "version": 2, "documents": {}}"#);
            assert!(newer.is_err_and(|e| e.contains("newer version")));
        }
    }
}

/// Open a sheet by id: from storage, or fetched from the relay if this device lacks it.
pub fn open(id: DocumentId) -> SheetHandle {
    #[cfg(feature = "hydrate")]
    return browser::open(id);
    #[cfg(not(feature = "hydrate"))]
    SheetHandle {
        id,
        view: ArcRwSignal::new(DocView::Loading),
        synced: ArcRwSignal::new(false),
        confirmation: ArcRwSignal::new(None),
        unsaved: ArcRwSignal::new(false),
        damage: ArcRwSignal::new(None),
    }
}

/// Apply an edit to a sheet: saved to this device at once, then synced.
pub fn edit(id: DocumentId, edit: Edit) -> Result<(), String> {
    #[cfg(feature = "hydrate")]
    return browser::edit(id, edit);
    #[cfg(not(feature = "hydrate"))]
    {
        let _ = (id, edit);
        Err("editing needs the browser".into())
    }
}

/// Create a sheet and return its id.
pub fn create(new: &NewSheet) -> Result<DocumentId, String> {
    #[cfg(feature = "hydrate")]
    return browser::create(new);
    #[cfg(not(feature = "hydrate"))]
    {
        let _ = new;
        Err("creating a sheet needs the browser".into())
    }
}

/// 64 random bits, for row ids.
pub fn random_u64() -> u64 {
    #[cfg(feature = "hydrate")]
    return browser::random_u64();
    #[cfg(not(feature = "hydrate"))]
    0
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::{self, Lang};

    #[test]
    fn what_happened_to_a_damaged_copy_is_said_in_both_languages() {
        let mut d = Damage {
            reason: "Automerge cannot load it (bad checksum)".into(),
            kept_as: Some("goals:quarantine:abc:1".into()),
            recovery: Recovery::Waiting,
        };
        let all = [
            Recovery::Waiting,
            Recovery::Lost,
            Recovery::Salvaged,
            Recovery::FromRelay,
            Recovery::FromOtherTab,
            Recovery::FromThisTab,
        ];
        i18n::set_current(Lang::ZhCn);
        for r in all {
            d.recovery = r;
            let zh = i18n::tr(&d.message());
            assert_ne!(zh, d.message(), "{r:?} is not translated");
            assert!(
                zh.contains("Automerge 无法加载(bad checksum)"),
                "{r:?}: {zh}"
            );
            assert_eq!(
                d.recovered(),
                !matches!(r, Recovery::Waiting | Recovery::Lost)
            );
        }
        assert!(i18n::tr(&d.kept_message()).contains("“goals:quarantine:abc:1”下"));
        d.kept_as = None;
        assert_ne!(i18n::tr(&d.kept_message()), d.kept_message());
        i18n::set_current(Lang::En);
        assert!(d
            .message()
            .contains("(Automerge cannot load it (bad checksum))"));
    }
}
