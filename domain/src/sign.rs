//! Step 3, confirmation: identities, and signatures over exactly what was agreed.
//!
//! A signature covers a canonical encoding of the agreement: the sheet's id, the cycle, the
//! parties (by public key), the employee's and manager's names in the header, and every
//! Template 1 row (type, name, measure, weight,
//! deadline, owner, support), rows in order of their ids, with the signing time. Follow-up
//! records, objections and the assessment are not covered, so they can change without voiding
//! it; reordering rows does not change what was agreed either.
//!
//! Signatures are never trusted from the document: [`report`] verifies each one against the
//! sheet as it is now, and, when that fails, against the version it claims to have signed, to
//! tell a signature made void by a later change (with what changed and by whom) from one that
//! does not verify at all.

use crate::doc::SheetDoc;
use crate::model::{Party, Role, Sheet, SignatureRecord};
use crate::rules::WeightTotal;
use ed25519_dalek::{Signature, Signer, SigningKey, Verifier as _, VerifyingKey};
use thiserror::Error;

const DOMAIN: &[u8] = b"goal-sheet agreement v1\n";
const EXPORT_PREFIX: &str = "GS1";

/// A person's local identity: a display name and an Ed25519 key pair.
#[derive(Clone)]
pub struct Identity {
    pub name: String,
    key: SigningKey,
}

impl std::fmt::Debug for Identity {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Never print the secret.
        write!(f, "Identity({:?}, {})", self.name, self.public_key())
    }
}

/// Why an identity cannot be imported.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum ImportError {
    #[error("this is not an identity code (it should start with {EXPORT_PREFIX}-)")]
    NotACode,
    #[error("the code is mistyped or incomplete (its checksum does not match)")]
    Checksum,
    #[error("the code holds no valid key")]
    BadKey,
}

impl Identity {
    /// An identity from 32 random bytes (the caller's random source).
    pub fn from_secret(name: &str, secret: [u8; 32]) -> Identity {
        Identity {
            name: name.trim().to_owned(),
            key: SigningKey::from_bytes(&secret),
        }
    }

    /// The public key, base58: how a sheet names this person.
    pub fn public_key(&self) -> String {
        bs58::encode(self.key.verifying_key().as_bytes()).into_string()
    }

    pub fn party(&self) -> Party {
        Party {
            key: self.public_key(),
            name: self.name.clone(),
        }
    }

    /// A code to carry this identity to another device: `GS1-` and base58check of the secret
    /// key followed by the name. Whoever holds it can sign as this person.
    pub fn export_code(&self) -> String {
        let mut bytes = self.key.to_bytes().to_vec();
        bytes.extend_from_slice(self.name.as_bytes());
        format!(
            "{EXPORT_PREFIX}-{}",
            bs58::encode(bytes).with_check().into_string()
        )
    }

    pub fn import_code(code: &str) -> Result<Identity, ImportError> {
        let compact: String = code.chars().filter(|c| !c.is_whitespace()).collect();
        let body = compact
            .strip_prefix(&format!("{EXPORT_PREFIX}-"))
            .ok_or(ImportError::NotACode)?;
        let bytes = bs58::decode(body)
            .with_check(None)
            .into_vec()
            .map_err(|_| ImportError::Checksum)?;
        if bytes.len() < 32 {
            return Err(ImportError::BadKey);
        }
        let (secret, name) = bytes.split_at(32);
        let secret: [u8; 32] = secret.try_into().map_err(|_| ImportError::BadKey)?;
        let name = String::from_utf8(name.to_vec()).map_err(|_| ImportError::BadKey)?;
        Ok(Identity::from_secret(&name, secret))
    }

    pub fn sign_bytes(&self, message: &[u8]) -> String {
        bs58::encode(self.key.sign(message).to_bytes()).into_string()
    }
}

/// A short, readable form of a public key, for showing beside a name: its first eight
/// characters as two groups of four. Cut by characters, never by bytes: a key read from a
/// document may be anything another device wrote there.
pub fn fingerprint(key: &str) -> String {
    let head: String = key.chars().take(4).collect();
    let tail: String = key.chars().skip(4).take(4).collect();
    format!("{head}·{tail}")
}

/// Why a string is not a usable public key.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum KeyProblem {
    #[error("it is empty")]
    Empty,
    #[error("it is not base58")]
    NotBase58,
    #[error("it is {0} bytes long, not 32")]
    Length(usize),
    #[error("it is not an Ed25519 public key")]
    NotAPoint,
}

/// A public key as a sheet stores it (base58 of 32 bytes), checked: a real Ed25519 key, not a
/// weak one.
pub fn check_key(key: &str) -> Result<VerifyingKey, KeyProblem> {
    if key.is_empty() {
        return Err(KeyProblem::Empty);
    }
    let bytes = bs58::decode(key)
        .into_vec()
        .map_err(|_| KeyProblem::NotBase58)?;
    let len = bytes.len();
    let bytes: [u8; 32] = bytes.try_into().map_err(|_| KeyProblem::Length(len))?;
    let key = VerifyingKey::from_bytes(&bytes).map_err(|_| KeyProblem::NotAPoint)?;
    if key.is_weak() {
        return Err(KeyProblem::NotAPoint);
    }
    Ok(key)
}

impl Party {
    /// Why this party's key is not a usable public key, if it is not (a sheet is written by
    /// every device that has its link: nothing in it is trusted).
    pub fn key_problem(&self) -> Option<KeyProblem> {
        check_key(&self.key).err()
    }
}

fn field(out: &mut Vec<u8>, value: &str) {
    out.extend_from_slice(&(value.len() as u32).to_be_bytes());
    out.extend_from_slice(value.as_bytes());
}

/// The bytes a signature covers: what was agreed on this sheet, signed at `at`.
pub fn canonical(doc_id: &str, sheet: &Sheet, at: &str) -> Vec<u8> {
    let mut out = DOMAIN.to_vec();
    field(&mut out, doc_id);
    field(&mut out, sheet.cycle.kind.as_str());
    field(&mut out, &crate::date::format_iso(sheet.cycle.start));
    field(&mut out, &crate::date::format_iso(sheet.cycle.end));
    for role in Role::ALL {
        let party = sheet.party(role);
        field(&mut out, party.map_or("", |p| p.key.as_str()));
    }
    field(&mut out, &sheet.employee);
    field(&mut out, &sheet.manager);
    let mut rows: Vec<_> = sheet.goals.iter().collect();
    crate::sort::sort_by(&mut rows, |a, b| a.id.cmp(&b.id));
    field(&mut out, &rows.len().to_string());
    for g in rows {
        field(&mut out, g.id.as_str());
        field(&mut out, g.goal_type.as_str());
        field(&mut out, &g.name);
        field(&mut out, &g.measure);
        field(&mut out, &g.weight.to_string());
        field(
            &mut out,
            &g.deadline.map(crate::date::format_iso).unwrap_or_default(),
        );
        field(&mut out, &g.owner);
        field(&mut out, &g.support);
    }
    field(&mut out, at);
    out
}

/// Why a sheet cannot be signed yet.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum NotReady {
    #[error("the weights total {0}%, not 100%")]
    Weights(u32),
    #[error("goal {0} has no name")]
    NoName(usize),
    #[error("goal {0} has no measure")]
    NoMeasure(usize),
    #[error("goal {0} has no deadline")]
    NoDeadline(usize),
    #[error("goal {0}'s deadline is outside the cycle")]
    DeadlineOutsideCycle(usize),
    #[error("there are no goals to agree on")]
    NoGoals,
    #[error("{0} objection(s) are still open")]
    OpenObjections(usize),
    #[error("you have not joined this sheet as its {0}")]
    NotTheParty(&'static str),
    #[error("the {0} has not joined this sheet yet")]
    PartyMissing(&'static str),
    #[error("the {0}'s key on this sheet is not a valid public key: {1}")]
    BadPartyKey(&'static str, KeyProblem),
}

/// Everything that stops `identity` signing as `role` now; empty when it can.
///
/// Both parties must have joined: a signature covers the parties' keys, so a party joining
/// later would void it. Every row needs a name, a measure and a deadline within the cycle
/// (SMART), and the weights must total 100%.
pub fn readiness(sheet: &Sheet, role: Role, identity_key: &str) -> Vec<NotReady> {
    let mut out = Vec::new();
    if sheet.party(role).is_none_or(|p| p.key != identity_key) {
        out.push(NotReady::NotTheParty(role.as_str()));
    }
    if sheet.party(role.other()).is_none() {
        out.push(NotReady::PartyMissing(role.other().as_str()));
    }
    for r in Role::ALL {
        if let Some(problem) = sheet.party(r).and_then(Party::key_problem) {
            out.push(NotReady::BadPartyKey(r.as_str(), problem));
        }
    }
    if sheet.goals.is_empty() {
        out.push(NotReady::NoGoals);
    }
    let total = WeightTotal::of(sheet);
    if !sheet.goals.is_empty() && !total.is_complete() {
        out.push(NotReady::Weights(total.total));
    }
    for (i, g) in sheet.goals.iter().enumerate() {
        if g.name.trim().is_empty() {
            out.push(NotReady::NoName(i + 1));
        }
        if g.measure.trim().is_empty() {
            out.push(NotReady::NoMeasure(i + 1));
        }
        match g.deadline {
            None => out.push(NotReady::NoDeadline(i + 1)),
            Some(d) if !sheet.cycle.contains(d) => out.push(NotReady::DeadlineOutsideCycle(i + 1)),
            Some(_) => {}
        }
    }
    let open = sheet
        .objections
        .iter()
        .filter(|o| o.status == crate::model::ObjectionStatus::Open)
        .count();
    if open > 0 {
        out.push(NotReady::OpenObjections(open));
    }
    out
}

/// Sign the sheet as `role`. Fails with every reason it is not ready.
pub fn sign(
    doc: &mut SheetDoc,
    doc_id: &str,
    identity: &Identity,
    role: Role,
    at: &str,
) -> Result<SignatureRecord, Vec<NotReady>> {
    let sheet = doc.read().map_err(|_| vec![NotReady::NoGoals])?;
    let problems = readiness(&sheet, role, &identity.public_key());
    if !problems.is_empty() {
        return Err(problems);
    }
    let message = canonical(doc_id, &sheet, at);
    Ok(SignatureRecord {
        role,
        key: identity.public_key(),
        name: identity.name.clone(),
        at: at.to_owned(),
        sig: identity.sign_bytes(&message),
        heads: doc.heads_hex(),
    })
}

/// Why a stored signature does not verify.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum Invalid {
    #[error("the signature is malformed: {0}")]
    Malformed(String),
    #[error("its key is not a valid public key: {0}")]
    Key(KeyProblem),
    #[error("the {0}'s key on this sheet is not a valid public key: {1}")]
    PartyKey(&'static str, KeyProblem),
    #[error("it was made with a key that is not the {0}'s on this sheet")]
    WrongKey(&'static str),
    #[error("it does not verify: it was not made for this sheet, or it was altered")]
    DoesNotVerify,
}

/// One party's signature, as verified now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SignatureState {
    Missing,
    /// Verifies on the sheet as it is. `name` is the name the party joined the sheet with
    /// under `key` (the signature record's own name is not signed, so it is never shown);
    /// `key` is the signing public key, to show as its [`fingerprint`].
    Valid {
        name: String,
        key: String,
        at: String,
    },
    /// Verified on the version it signed, but the agreement has changed since. `name` is the
    /// party's name in that version.
    Void {
        name: String,
        key: String,
        at: String,
        changes: Vec<String>,
        by: Vec<String>,
    },
    Invalid(Invalid),
}

impl SignatureState {
    pub fn is_valid(&self) -> bool {
        matches!(self, SignatureState::Valid { .. })
    }
}

/// The sheet's confirmation, verified: each party's signature state.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Report {
    pub employee: SignatureState,
    pub manager: SignatureState,
}

impl Report {
    /// Both signatures verify on the current content.
    pub fn confirmed(&self) -> bool {
        self.employee.is_valid() && self.manager.is_valid()
    }

    pub fn state(&self, role: Role) -> &SignatureState {
        match role {
            Role::Employee => &self.employee,
            Role::Manager => &self.manager,
        }
    }
}

fn decode_key(key: &str) -> Result<VerifyingKey, Invalid> {
    check_key(key).map_err(Invalid::Key)
}

fn decode_sig(sig: &str) -> Result<Signature, Invalid> {
    let bytes = bs58::decode(sig)
        .into_vec()
        .map_err(|e| Invalid::Malformed(format!("signature: {e}")))?;
    let bytes: [u8; 64] = bytes
        .try_into()
        .map_err(|_| Invalid::Malformed("signature: not 64 bytes".into()))?;
    Ok(Signature::from_bytes(&bytes))
}

fn verifies(key: &VerifyingKey, sig: &Signature, doc_id: &str, sheet: &Sheet, at: &str) -> bool {
    key.verify(&canonical(doc_id, sheet, at), sig).is_ok()
}

/// Verifies signatures, remembering the signed versions it has read: a void signature is
/// checked against its own version on every change of the sheet, and reading an old version
/// means replaying the document up to it.
#[derive(Default)]
pub struct Verifier {
    versions: std::collections::HashMap<Vec<String>, Option<Sheet>>,
}

impl Verifier {
    fn version(&mut self, doc: &mut SheetDoc, heads: &[String]) -> Option<Sheet> {
        self.versions
            .entry(heads.to_vec())
            .or_insert_with(|| doc.at_version(heads).and_then(|d| d.read().ok()))
            .clone()
    }

    /// Verify both signatures on the sheet as it is now.
    pub fn report(&mut self, doc: &mut SheetDoc, doc_id: &str) -> Option<Report> {
        let sheet = doc.read().ok()?;
        Some(Report {
            employee: self.verify(doc, doc_id, &sheet, Role::Employee),
            manager: self.verify(doc, doc_id, &sheet, Role::Manager),
        })
    }

    /// Verify one stored signature.
    pub fn verify(
        &mut self,
        doc: &mut SheetDoc,
        doc_id: &str,
        sheet: &Sheet,
        role: Role,
    ) -> SignatureState {
        verify_with(doc, doc_id, sheet, role, &mut |doc, heads| {
            self.version(doc, heads)
        })
    }
}

/// Verify one stored signature.
pub fn verify(doc: &mut SheetDoc, doc_id: &str, sheet: &Sheet, role: Role) -> SignatureState {
    Verifier::default().verify(doc, doc_id, sheet, role)
}

/// The name a party joined `sheet` with as `role`.
fn party_name(sheet: &Sheet, role: Role) -> String {
    sheet
        .party(role)
        .map(|p| p.name.clone())
        .unwrap_or_default()
}

fn verify_with(
    doc: &mut SheetDoc,
    doc_id: &str,
    sheet: &Sheet,
    role: Role,
    version: &mut dyn FnMut(&mut SheetDoc, &[String]) -> Option<Sheet>,
) -> SignatureState {
    let Some(record) = sheet.signature(role) else {
        return SignatureState::Missing;
    };
    let key = match decode_key(&record.key) {
        Ok(k) => k,
        Err(e) => return SignatureState::Invalid(e),
    };
    let sig = match decode_sig(&record.sig) {
        Ok(s) => s,
        Err(e) => return SignatureState::Invalid(e),
    };
    let party_now = sheet.party(role).map(|p| p.key.as_str());
    if party_now == Some(record.key.as_str()) && verifies(&key, &sig, doc_id, sheet, &record.at) {
        return SignatureState::Valid {
            name: party_name(sheet, role),
            key: record.key.clone(),
            at: record.at.clone(),
        };
    }
    // Not valid now. Did it verify on the version it says it signed, by that version's party?
    let then = version(doc, &record.heads);
    if let Some(then) = then {
        let party_then = then.party(role).map(|p| p.key.as_str());
        if party_then == Some(record.key.as_str())
            && verifies(&key, &sig, doc_id, &then, &record.at)
        {
            return SignatureState::Void {
                name: party_name(&then, role),
                key: record.key.clone(),
                at: record.at.clone(),
                changes: diff(&then, sheet),
                by: doc.authors_since(&record.heads),
            };
        }
    }
    if let Some(problem) = sheet.party(role).and_then(Party::key_problem) {
        return SignatureState::Invalid(Invalid::PartyKey(role.as_str(), problem));
    }
    if party_now != Some(record.key.as_str()) {
        return SignatureState::Invalid(Invalid::WrongKey(role.as_str()));
    }
    SignatureState::Invalid(Invalid::DoesNotVerify)
}

/// Verify both signatures on the sheet as it is now.
pub fn report(doc: &mut SheetDoc, doc_id: &str) -> Option<Report> {
    Verifier::default().report(doc, doc_id)
}

/// What changed in the agreement between two versions, line by line.
pub fn diff(before: &Sheet, after: &Sheet) -> Vec<String> {
    let mut out = Vec::new();
    let mut change = |what: String, a: String, b: String| {
        if a != b {
            out.push(format!("{what}: “{a}” → “{b}”"));
        }
    };
    // A department's sheet holds the department's name where an employee's holds the employee's.
    let whose = if after.kind == crate::model::SheetKind::Department {
        "Department name"
    } else {
        "Employee"
    };
    change(
        whose.into(),
        before.employee.clone(),
        after.employee.clone(),
    );
    change(
        "Manager".into(),
        before.manager.clone(),
        after.manager.clone(),
    );
    change(
        "Cycle".into(),
        before.cycle.kind.label().into(),
        after.cycle.kind.label().into(),
    );
    change(
        "Cycle start".into(),
        crate::date::format_iso(before.cycle.start),
        crate::date::format_iso(after.cycle.start),
    );
    change(
        "Cycle end".into(),
        crate::date::format_iso(before.cycle.end),
        crate::date::format_iso(after.cycle.end),
    );
    for role in Role::ALL {
        let name = |s: &Sheet| {
            s.party(role)
                .map(|p| format!("{} ({})", p.name, fingerprint(&p.key)))
                .unwrap_or_else(|| "nobody".into())
        };
        change(format!("{} key", role.label()), name(before), name(after));
    }
    for g in &after.goals {
        match before.goal(&g.id) {
            None => out.push(format!("Goal “{}” added", g.name)),
            Some(old) => {
                let label = if old.name == g.name {
                    format!("Goal “{}”", g.name)
                } else {
                    format!("Goal “{}” (now “{}”)", old.name, g.name)
                };
                let date = |d: Option<chrono::NaiveDate>| {
                    d.map(crate::date::format_iso)
                        .unwrap_or_else(|| "none".into())
                };
                let mut field = |f: &str, a: String, b: String| {
                    if a != b {
                        out.push(format!("{label}, {f}: “{a}” → “{b}”"));
                    }
                };
                field(
                    "type",
                    old.goal_type.label().into(),
                    g.goal_type.label().into(),
                );
                field("name", old.name.clone(), g.name.clone());
                field("measure", old.measure.clone(), g.measure.clone());
                field(
                    "weight",
                    format!("{}%", old.weight),
                    format!("{}%", g.weight),
                );
                field("deadline", date(old.deadline), date(g.deadline));
                field("owner", old.owner.clone(), g.owner.clone());
                field("support", old.support.clone(), g.support.clone());
            }
        }
    }
    for g in &before.goals {
        if after.goal(&g.id).is_none() {
            out.push(format!("Goal “{}” removed", g.name));
        }
    }
    out
}
