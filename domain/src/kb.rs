//! The department's knowledge base of good practice (step 6): a document of its own, synced
//! like sheets, that practices are captured into from any sheet, and searched.
//!
//! Layout: `{ kind: "knowledge-base", schema: 1, name: Text,
//!            practices: { <id>: { text: Text, tags: Text, source, sheet, author, at } } }`.

use crate::doc::DocError;
use crate::model::{ItemId, RowId};
use automerge::{transaction::Transactable, AutoCommit, ObjId, ObjType, ReadDoc, Value, ROOT};
use serde::{Deserialize, Serialize};

pub const KIND: &str = "knowledge-base";

/// One captured practice.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Practice {
    pub id: ItemId,
    pub text: String,
    pub tags: String,
    /// The sheet it came from (title), and its id.
    pub source: String,
    pub sheet: String,
    pub author: String,
    pub at: String,
}

impl Practice {
    /// Whether every word of `query` appears in the practice (text, tags, source or author),
    /// ignoring case.
    pub fn matches(&self, query: &str) -> bool {
        let hay = format!(
            "{} {} {} {}",
            self.text, self.tags, self.source, self.author
        )
        .to_lowercase();
        query
            .split_whitespace()
            .all(|w| hay.contains(&w.to_lowercase()))
    }
}

/// A knowledge base as read.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct KnowledgeBase {
    pub name: String,
    /// Newest first.
    pub practices: Vec<Practice>,
}

impl KnowledgeBase {
    pub fn search(&self, query: &str) -> Vec<&Practice> {
        self.practices.iter().filter(|p| p.matches(query)).collect()
    }
}

/// Whether a document is a knowledge base (rather than a sheet).
pub fn is_knowledge_base<R: ReadDoc>(doc: &R) -> bool {
    matches!(doc.get(ROOT, "kind"), Ok(Some((Value::Scalar(s), _))) if s.as_str() == Some(KIND))
}

/// A new knowledge base document.
pub fn create(name: &str) -> Result<AutoCommit, DocError> {
    let mut doc = AutoCommit::new();
    doc.put(ROOT, "kind", KIND)?;
    doc.put(ROOT, "schema", 1u64)?;
    let t = doc.put_object(ROOT, "name", ObjType::Text)?;
    doc.splice_text(&t, 0, 0, name)?;
    doc.put_object(ROOT, "practices", ObjType::Map)?;
    doc.commit();
    Ok(doc)
}

fn text<R: ReadDoc>(doc: &R, obj: &ObjId, key: &str) -> String {
    match doc.get(obj, key) {
        Ok(Some((Value::Object(ObjType::Text), t))) => doc.text(&t).unwrap_or_default(),
        Ok(Some((Value::Scalar(s), _))) => s.as_str().unwrap_or_default().to_owned(),
        _ => String::new(),
    }
}

pub fn read<R: ReadDoc>(doc: &R) -> Result<KnowledgeBase, DocError> {
    if !is_knowledge_base(doc) {
        return Err(DocError::NotAKnowledgeBase);
    }
    let mut practices = Vec::new();
    for list in doc
        .get_all(ROOT, "practices")?
        .into_iter()
        .filter_map(|(v, id)| matches!(v, Value::Object(ObjType::Map)).then_some(id))
    {
        for key in doc.keys(&list) {
            if let Some((Value::Object(ObjType::Map), p)) = doc.get(&list, &key)? {
                practices.push(Practice {
                    id: RowId::from_stored(&key),
                    text: text(doc, &p, "text"),
                    tags: text(doc, &p, "tags"),
                    source: text(doc, &p, "source"),
                    sheet: text(doc, &p, "sheet"),
                    author: text(doc, &p, "author"),
                    at: text(doc, &p, "at"),
                });
            }
        }
    }
    crate::sort::sort_by(&mut practices, |a, b| {
        b.at.cmp(&a.at).then_with(|| a.id.cmp(&b.id))
    });
    Ok(KnowledgeBase {
        name: text(doc, &ROOT, "name"),
        practices,
    })
}

/// Start this device's copy of a knowledge base that has not arrived here yet (a device that
/// never had it, perhaps offline), so that practices can be captured into it now. The copy
/// holds the layout but not the name: when the knowledge base arrives, Automerge merges the
/// two, and since reading takes every `practices` map, nothing either side added is lost.
/// A document that already has content is left as it is.
pub fn start_copy(doc: &mut AutoCommit) -> Result<(), DocError> {
    if doc.keys(ROOT).next().is_some() {
        return Ok(());
    }
    doc.put(ROOT, "kind", KIND)?;
    doc.put(ROOT, "schema", 1u64)?;
    doc.put_object(ROOT, "practices", ObjType::Map)?;
    doc.commit();
    Ok(())
}

/// Add a practice as one change. Refuses a document that is not a knowledge base.
pub fn add(doc: &mut AutoCommit, p: &Practice) -> Result<(), DocError> {
    if !is_knowledge_base(doc) {
        return Err(DocError::NotAKnowledgeBase);
    }
    let list = match doc.get(ROOT, "practices")? {
        Some((Value::Object(ObjType::Map), id)) => id,
        _ => doc.put_object(ROOT, "practices", ObjType::Map)?,
    };
    let obj = doc.put_object(&list, p.id.as_str(), ObjType::Map)?;
    for (key, value) in [("text", &p.text), ("tags", &p.tags)] {
        let t = doc.put_object(&obj, key, ObjType::Text)?;
        doc.splice_text(&t, 0, 0, value)?;
    }
    doc.put(&obj, "source", p.source.as_str())?;
    doc.put(&obj, "sheet", p.sheet.as_str())?;
    doc.put(&obj, "author", p.author.as_str())?;
    doc.put(&obj, "at", p.at.as_str())?;
    doc.commit();
    Ok(())
}
