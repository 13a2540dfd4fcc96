//! A document's value in local storage: a JSON string holding the base64 of its Automerge bytes.
//!
//! Reading tells a good copy from a damaged one, and salvages what a damaged one still holds
//! where Automerge can: a full save followed by bytes that do not parse (trailing garbage, a
//! cut-off incremental save) loads up to the damage. Nothing here writes to storage; the repo
//! keeps a damaged value aside before anything replaces it.

use automerge::{AutoCommit, LoadOptions, OnPartialLoad};
use base64::Engine;
use domain::SheetDoc;

/// What a stored value holds.
pub(crate) enum Stored {
    /// A document that loads in full.
    Good(SheetDoc),
    /// A damaged value of which part loads: the document holds that part; the reason says
    /// what was wrong.
    Salvaged(SheetDoc, String),
    /// Nothing of it loads; the reason says why.
    Damaged(String),
}

/// Read a raw storage value (as `localStorage.getItem` returns it).
pub(crate) fn decode(raw: &str) -> Stored {
    let b64 = match serde_json::from_str::<String>(raw) {
        Ok(s) => s,
        Err(_) => return Stored::Damaged("it is not in the app's storage format".into()),
    };
    let bytes = match base64::engine::general_purpose::STANDARD.decode(b64.trim()) {
        Ok(b) => b,
        Err(e) => return Stored::Damaged(format!("its bytes are not readable ({e})")),
    };
    if bytes.is_empty() {
        return Stored::Damaged("it is empty".into());
    }
    match SheetDoc::load(&bytes) {
        Ok(doc) => Stored::Good(doc),
        Err(e) => {
            let reason = format!("Automerge cannot load it ({})", cause(&e));
            let partial = AutoCommit::load_with_options(
                &bytes,
                LoadOptions::new().on_partial_load(OnPartialLoad::Ignore),
            );
            match partial.map(SheetDoc::from_automerge) {
                Ok(mut doc) => {
                    if doc.is_empty() {
                        Stored::Damaged(reason)
                    } else {
                        Stored::Salvaged(doc, reason)
                    }
                }
                Err(_) => Stored::Damaged(reason),
            }
        }
    }
}

/// The innermost error's words (the outer ones only repeat "cannot be read").
fn cause(e: &(dyn std::error::Error + 'static)) -> String {
    let mut e = e;
    while let Some(inner) = e.source() {
        e = inner;
    }
    e.to_string()
}

/// The storage value of a document.
pub(crate) fn encode(doc: &mut SheetDoc) -> String {
    let b64 = base64::engine::general_purpose::STANDARD.encode(doc.save());
    // A JSON string of base64 characters: escaping cannot fail.
    format!("\"{b64}\"")
}

#[cfg(test)]
mod tests {
    use super::*;
    use domain::{Cycle, CycleKind, Edit, NewSheet};

    fn sheet() -> SheetDoc {
        let start = chrono::NaiveDate::from_ymd_opt(2026, 7, 1).unwrap_or_default();
        let mut doc = SheetDoc::create(&NewSheet {
            title: "Stored".into(),
            employee: "Li Wei".into(),
            manager: "Zhang Min".into(),
            cycle: Cycle::containing(CycleKind::Quarterly, start),
        })
        .unwrap_or_else(|e| panic!("create: {e}"));
        doc.apply(Edit::Header {
            field: domain::SheetField::Title,
            value: "Stored twice".into(),
        })
        .unwrap_or_else(|e| panic!("edit: {e}"));
        doc
    }

    fn title(doc: &SheetDoc) -> String {
        doc.read().map(|s| s.title).unwrap_or_default()
    }

    fn raw_of(bytes: &[u8]) -> String {
        serde_json::to_string(&base64::engine::general_purpose::STANDARD.encode(bytes))
            .unwrap_or_default()
    }

    #[test]
    fn a_saved_document_reads_back() {
        let mut doc = sheet();
        let raw = encode(&mut doc);
        assert_eq!(
            serde_json::from_str::<String>(&raw)
                .ok()
                .map(|s| s.len() > 10),
            Some(true)
        );
        match decode(&raw) {
            Stored::Good(d) => assert_eq!(title(&d), "Stored twice"),
            _ => panic!("a good copy did not load"),
        }
    }

    #[test]
    fn a_value_that_is_not_json_is_damaged() {
        for raw in ["not json {{", "", "42", "{\"a\":1}"] {
            assert!(matches!(decode(raw), Stored::Damaged(_)), "{raw:?}");
        }
    }

    #[test]
    fn bytes_that_do_not_load_are_damaged_with_the_reason() {
        let Stored::Damaged(reason) = decode(&raw_of(b"definitely not automerge")) else {
            panic!("garbage loaded");
        };
        assert!(reason.starts_with("Automerge cannot load it ("), "{reason}");
        assert!(matches!(decode("\"***\""), Stored::Damaged(_)));
        assert!(matches!(decode("\"\""), Stored::Damaged(_)));
    }

    #[test]
    fn a_cut_off_save_is_damaged() {
        let bytes = sheet().save();
        let cut = &bytes[..bytes.len() / 2];
        assert!(matches!(decode(&raw_of(cut)), Stored::Damaged(_)));
    }

    #[test]
    fn garbage_after_a_full_save_is_salvaged() {
        let mut bytes = sheet().save();
        assert!(SheetDoc::load(&bytes).is_ok());
        bytes.extend_from_slice(&[0x85, 0x6f, 0x4a, 0x83, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
        match decode(&raw_of(&bytes)) {
            Stored::Salvaged(doc, reason) => {
                assert_eq!(title(&doc), "Stored twice");
                assert!(reason.starts_with("Automerge cannot load it"), "{reason}");
            }
            Stored::Good(_) => panic!("the damage went unnoticed"),
            Stored::Damaged(reason) => panic!("nothing salvaged: {reason}"),
        }
    }
}
