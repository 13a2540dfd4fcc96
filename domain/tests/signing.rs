//! Step 3: signatures over exactly what was agreed.

mod common;
use common::*;

use domain::example::template_goals;
use domain::sign::{
    self, canonical, readiness, Identity, ImportError, Invalid, NotReady, SignatureState,
};
use domain::{
    CheckIn, Cycle, CycleKind, Edit, GoalField, NewSheet, Objection, ObjectionStatus, Reply, Role,
    RowId, SheetDoc,
};

const ID: &str = "3ABCsheetidXYZ";
const AT: &str = "2023-07-03T10:00:00+08:00";

fn alice() -> Identity {
    Identity::from_secret("Alice", [1; 32])
}

fn bob() -> Identity {
    Identity::from_secret("Bob", [2; 32])
}

/// A Q3 sheet of Alice's (employee) and Bob's (manager): no goals, nobody joined yet.
fn q3_sheet() -> SheetDoc {
    SheetDoc::create(&NewSheet {
        title: "Q3".into(),
        employee: "Alice".into(),
        manager: "Bob".into(),
        cycle: q3(),
    })
    .expect("create")
}

/// The template's three goals on a Q3 sheet of Alice's (employee) and Bob's (manager), nobody
/// joined yet.
fn template_sheet() -> SheetDoc {
    let mut doc = q3_sheet();
    for g in template_goals(&q3(), "Alice", ids()) {
        doc.apply(Edit::AddGoal(g)).expect("add");
    }
    doc
}

/// The template's sheet with Alice as employee and Bob as manager.
fn agreed() -> SheetDoc {
    let mut doc = template_sheet();
    doc.apply(Edit::ClaimRole {
        role: Role::Employee,
        party: alice().party(),
    })
    .expect("join");
    doc.apply(Edit::ClaimRole {
        role: Role::Manager,
        party: bob().party(),
    })
    .expect("join");
    doc
}

fn sign_as(doc: &mut SheetDoc, who: &Identity, role: Role) {
    let record = sign::sign(doc, ID, who, role, AT).expect("ready to sign");
    doc.apply_by(Edit::Sign(record), Some(&who.name))
        .expect("store");
}

fn both_signed() -> SheetDoc {
    let mut doc = agreed();
    sign_as(&mut doc, &alice(), Role::Employee);
    sign_as(&mut doc, &bob(), Role::Manager);
    doc
}

fn first_row(doc: &SheetDoc) -> RowId {
    doc.read().expect("read").goals[0].id.clone()
}

#[test]
fn both_signatures_verify_and_the_sheet_is_confirmed() {
    let mut doc = both_signed();
    let report = sign::report(&mut doc, ID).expect("report");
    assert!(report.confirmed(), "{report:?}");
    assert_eq!(
        report.employee,
        SignatureState::Valid {
            name: "Alice".into(),
            key: alice().public_key(),
            at: AT.into()
        }
    );
    // And still after a save and load on another device.
    let mut other = SheetDoc::load(&doc.save()).expect("load");
    assert!(sign::report(&mut other, ID).expect("report").confirmed());
}

#[test]
fn one_signature_is_not_a_confirmation() {
    let mut doc = agreed();
    sign_as(&mut doc, &alice(), Role::Employee);
    let report = sign::report(&mut doc, ID).expect("report");
    assert!(!report.confirmed());
    assert!(report.employee.is_valid());
    assert_eq!(report.manager, SignatureState::Missing);
}

#[test]
fn a_change_to_any_covered_field_voids_both_signatures_and_says_what_and_who() {
    let edits: Vec<(Edit, &str)> = vec![
        (
            Edit::GoalWeight {
                row: RowId::from_random(1),
                weight: 40,
            },
            "weight: “50%” → “40%”",
        ),
        (
            Edit::GoalText {
                row: RowId::from_random(1),
                field: GoalField::Measure,
                value: "9 new customers".into(),
            },
            "measure",
        ),
        (
            Edit::GoalText {
                row: RowId::from_random(2),
                field: GoalField::Name,
                value: "Satisfaction".into(),
            },
            "name",
        ),
        (
            Edit::GoalText {
                row: RowId::from_random(3),
                field: GoalField::Owner,
                value: "Carol".into(),
            },
            "owner",
        ),
        (
            Edit::GoalText {
                row: RowId::from_random(3),
                field: GoalField::Support,
                value: "none".into(),
            },
            "support",
        ),
        (
            Edit::GoalType {
                row: RowId::from_random(3),
                goal_type: domain::GoalType::Process,
            },
            "type",
        ),
        (
            Edit::GoalDeadline {
                row: RowId::from_random(3),
                deadline: Some(date(2023, 9, 1)),
            },
            "deadline",
        ),
        (
            Edit::RemoveGoal {
                row: RowId::from_random(3),
            },
            "removed",
        ),
        (
            Edit::Cycle(Cycle {
                end: date(2023, 10, 31),
                ..q3()
            }),
            "Cycle end",
        ),
        (
            Edit::Header {
                field: domain::SheetField::Manager,
                value: "Robert".into(),
            },
            "Manager",
        ),
        (
            Edit::Header {
                field: domain::SheetField::Employee,
                value: "Alicia".into(),
            },
            "Employee: “Alice” → “Alicia”",
        ),
        (
            Edit::AddGoal(domain::Goal {
                name: "Mentor a new colleague".into(),
                ..domain::Goal::blank(RowId::from_random(99))
            }),
            "Goal “Mentor a new colleague” added",
        ),
        (
            Edit::ClaimRole {
                role: Role::Manager,
                party: Identity::from_secret("Carol", [3; 32]).party(),
            },
            "Manager key: “Bob (",
        ),
        (
            Edit::Cycle(Cycle {
                kind: CycleKind::Annual,
                ..q3()
            }),
            "Cycle: “Quarterly” → “Annual”",
        ),
        (
            Edit::Cycle(Cycle {
                start: date(2023, 7, 2),
                ..q3()
            }),
            "Cycle start: “2023-07-01” → “2023-07-02”",
        ),
    ];
    for (edit, expect) in edits {
        let mut doc = both_signed();
        doc.apply_by(edit.clone(), Some("Carol (edits)"))
            .expect("edit");
        let report = sign::report(&mut doc, ID).expect("report");
        for role in Role::ALL {
            match report.state(role) {
                SignatureState::Void { changes, by, .. } => {
                    assert!(
                        changes.iter().any(|c| c.contains(expect)),
                        "{edit:?}: {changes:?}"
                    );
                    assert_eq!(by, &vec!["Carol (edits)".to_string()]);
                }
                other => panic!("{edit:?} left {role:?} {other:?}"),
            }
        }
    }
}

#[test]
fn follow_up_assessment_objections_and_row_order_do_not_void_it() {
    let mut doc = both_signed();
    let row = first_row(&doc);
    let edits = vec![
        Edit::AddCheckIn {
            row: row.clone(),
            check_in: CheckIn {
                id: RowId::from_random(90),
                date: date(2023, 7, 14),
                seq: 0,
                progress: 30,
                done: "x".into(),
                problems: String::new(),
                solution: String::new(),
                next: String::new(),
            },
        },
        Edit::GoalTarget {
            row: row.clone(),
            value: Some(12.0),
        },
        Edit::GoalAchieved {
            row: row.clone(),
            value: Some(10.0),
        },
        Edit::SetQuantitativeShare(60),
        Edit::Prep {
            field: domain::PrepField::Wishes,
            value: "lead a project".into(),
        },
        Edit::MoveGoal {
            row: row.clone(),
            up: false,
        },
        Edit::Header {
            field: domain::SheetField::Title,
            value: "Renamed".into(),
        },
    ];
    for e in edits {
        doc.apply(e).expect("edit");
    }
    assert!(sign::report(&mut doc, ID).expect("report").confirmed());
}

#[test]
fn a_signature_copied_onto_another_sheet_does_not_verify() {
    let signed = both_signed();
    let record = signed.read().expect("read").signatures[0].clone();
    // The same content under another id: the signature names the sheet it was made for.
    let mut other = agreed();
    other.apply(Edit::Sign(record)).expect("copy");
    let report = sign::report(&mut other, "another-sheet-id").expect("report");
    assert_eq!(
        report.employee,
        SignatureState::Invalid(Invalid::DoesNotVerify)
    );
    assert!(!report.confirmed());
}

#[test]
fn a_signature_of_another_version_is_void_or_invalid_never_valid() {
    // Alice signs version 1; version 2 changes a weight; her old signature, copied as is
    // onto a sheet that has never had version 1, cannot verify there.
    let mut v1 = agreed();
    let old = sign::sign(&mut v1, ID, &alice(), Role::Employee, AT).expect("sign");
    let row = first_row(&v1);
    let mut v2 = agreed();
    v2.apply(Edit::GoalWeight { row, weight: 45 })
        .expect("edit");
    v2.apply(Edit::Sign(old.clone())).expect("copy");
    let state = sign::report(&mut v2, ID).expect("report").employee;
    assert_eq!(
        state,
        SignatureState::Invalid(Invalid::DoesNotVerify),
        "heads of another history"
    );
    // On its own history, a later version leaves it void, with the change listed.
    v1.apply(Edit::Sign(old)).expect("store");
    let row = first_row(&v1);
    v1.apply(Edit::GoalWeight { row, weight: 45 })
        .expect("edit");
    assert!(matches!(
        sign::report(&mut v1, ID).expect("report").employee,
        SignatureState::Void { .. }
    ));
}

#[test]
fn a_tampered_signature_a_wrong_key_and_a_malformed_one_each_fail_with_a_reason() {
    let base = both_signed();
    let record = base.read().expect("read").signatures[0].clone();

    // Tampered: one byte of the signature changed.
    let mut bytes = bs58::decode(&record.sig).into_vec().expect("b58");
    bytes[10] ^= 0x55;
    let mut doc = base.clone();
    doc.apply(Edit::Sign(domain::SignatureRecord {
        sig: bs58::encode(bytes).into_string(),
        ..record.clone()
    }))
    .expect("store");
    let state = sign::report(&mut doc, ID).expect("report").employee;
    assert_eq!(state, SignatureState::Invalid(Invalid::DoesNotVerify));
    assert_eq!(
        Invalid::DoesNotVerify.to_string(),
        "it does not verify: it was not made for this sheet, or it was altered"
    );

    // Wrong key: Bob signs the employee's place with his own key.
    let mut doc = base.clone();
    let message = canonical(ID, &doc.read().expect("read"), AT);
    let forged = domain::SignatureRecord {
        key: bob().public_key(),
        name: "Alice".into(),
        sig: bob().sign_bytes(&message),
        ..record.clone()
    };
    doc.apply(Edit::Sign(forged)).expect("store");
    let state = sign::report(&mut doc, ID).expect("report").employee;
    assert_eq!(
        state,
        SignatureState::Invalid(Invalid::WrongKey("employee"))
    );
    assert_eq!(
        Invalid::WrongKey("employee").to_string(),
        "it was made with a key that is not the employee's on this sheet"
    );

    // Malformed: not base58, and the wrong length.
    for (sig, expect) in [
        ("0OIl not base58", "signature"),
        ("3mJr7AoUXx2Wqd", "not 64 bytes"),
    ] {
        let mut doc = base.clone();
        doc.apply(Edit::Sign(domain::SignatureRecord {
            sig: sig.into(),
            ..record.clone()
        }))
        .expect("store");
        match sign::report(&mut doc, ID).expect("report").employee {
            SignatureState::Invalid(Invalid::Malformed(m)) => assert!(m.contains(expect), "{m}"),
            other => panic!("{other:?}"),
        }
    }
    let mut doc = base.clone();
    doc.apply(Edit::Sign(domain::SignatureRecord {
        key: "short".into(),
        ..record
    }))
    .expect("store");
    assert_eq!(
        sign::report(&mut doc, ID).expect("report").employee,
        SignatureState::Invalid(Invalid::Key(sign::KeyProblem::Length(4)))
    );
}

#[test]
fn canonical_encoding_ignores_the_order_concurrent_edits_arrived_in() {
    let mut a = agreed();
    let mut b = a.fork();
    let new_row = |n: u64, name: &str| domain::Goal {
        name: name.into(),
        ..domain::Goal::blank(RowId::from_random(n))
    };
    a.apply(Edit::AddGoal(new_row(50, "from a"))).expect("a");
    b.apply(Edit::AddGoal(new_row(60, "from b"))).expect("b");
    b.apply(Edit::GoalText {
        row: RowId::from_random(1),
        field: GoalField::Support,
        value: "b's support".into(),
    })
    .expect("b");
    let (mut ab, mut ba) = (a.clone(), b.clone());
    ab.merge(&mut b).expect("merge");
    ba.merge(&mut a).expect("merge");
    let (sa, sb) = (ab.read().expect("read"), ba.read().expect("read"));
    assert_eq!(canonical(ID, &sa, AT), canonical(ID, &sb, AT));
    // The same rows added in another order, in a document of their own, encode the same too.
    let mut c = q3_sheet();
    let mut goals = sa.goals.clone();
    goals.reverse();
    for g in goals {
        c.apply(Edit::AddGoal(g)).expect("add");
    }
    c.apply(Edit::ClaimRole {
        role: Role::Employee,
        party: alice().party(),
    })
    .expect("join");
    c.apply(Edit::ClaimRole {
        role: Role::Manager,
        party: bob().party(),
    })
    .expect("join");
    assert_eq!(
        canonical(ID, &c.read().expect("read"), AT),
        canonical(ID, &sa, AT)
    );
}

#[test]
fn signing_needs_a_valid_sheet_no_open_objection_and_the_right_person() {
    let mut doc = agreed();
    let row = first_row(&doc);
    doc.apply(Edit::GoalWeight {
        row: row.clone(),
        weight: 40,
    })
    .expect("edit");
    doc.apply(Edit::GoalDeadline {
        row: RowId::from_random(2),
        deadline: None,
    })
    .expect("edit");
    doc.apply(Edit::RaiseObjection(Objection {
        id: RowId::from_random(70),
        row: row.clone(),
        by: Role::Employee,
        name: "Alice".into(),
        reason: "target too high for the resources".into(),
        at: AT.into(),
        status: ObjectionStatus::Open,
        replies: vec![],
    }))
    .expect("object");
    let sheet = doc.read().expect("read");
    assert_eq!(
        readiness(&sheet, Role::Employee, &alice().public_key()),
        vec![
            NotReady::Weights(90),
            NotReady::NoDeadline(2),
            NotReady::OpenObjections(1)
        ]
    );
    assert_eq!(
        readiness(&sheet, Role::Manager, &alice().public_key())[0],
        NotReady::NotTheParty("manager")
    );
    assert!(sign::sign(&mut doc, ID, &alice(), Role::Employee, AT).is_err());
}

#[test]
fn an_objection_is_answered_and_resolved_and_the_thread_stays() {
    let mut doc = agreed();
    let row = first_row(&doc);
    let id = RowId::from_random(70);
    doc.apply(Edit::RaiseObjection(Objection {
        id: id.clone(),
        row: row.clone(),
        by: Role::Employee,
        name: "Alice".into(),
        reason: "target too high for the resources".into(),
        at: AT.into(),
        status: ObjectionStatus::Open,
        replies: vec![],
    }))
    .expect("object");
    assert_eq!(doc.read().expect("read").open_objections(&row), 1);
    doc.apply(Edit::ReplyToObjection {
        id: id.clone(),
        reply: Reply {
            id: RowId::from_random(71),
            by: Role::Manager,
            name: "Bob".into(),
            text: "last year's team did 9 with the same budget".into(),
            at: "2023-07-03T11:00:00+08:00".into(),
        },
    })
    .expect("reply");
    doc.apply(Edit::SetObjectionStatus {
        id: id.clone(),
        status: ObjectionStatus::Resolved,
    })
    .expect("resolve");
    let sheet = doc.read().expect("read");
    assert_eq!(sheet.open_objections(&row), 0);
    let o = &sheet.objections[0];
    assert_eq!(o.status, ObjectionStatus::Resolved);
    assert_eq!(
        o.replies[0].text,
        "last year's team did 9 with the same budget"
    );
    sign_as(&mut doc, &alice(), Role::Employee);
    assert!(sign::report(&mut doc, ID)
        .expect("report")
        .employee
        .is_valid());
}

#[test]
fn identities_export_and_import_and_bad_codes_are_refused() {
    let me = Identity::from_secret("王小明", [9; 32]);
    let code = me.export_code();
    assert!(code.starts_with("GS1-"));
    let back = Identity::import_code(&format!("  {code}\n")).expect("import");
    assert_eq!(back.public_key(), me.public_key());
    assert_eq!(back.name, "王小明");
    assert_eq!(
        Identity::import_code("hello").err(),
        Some(ImportError::NotACode)
    );
    let mut broken = code.clone();
    broken.pop();
    assert_eq!(
        Identity::import_code(&broken).err(),
        Some(ImportError::Checksum)
    );
    assert!(
        !format!("{me:?}").contains(&code[4..20]),
        "Debug never prints the secret"
    );
}

/// What another device (or anyone with the link) can write into a sheet: a party whose key is
/// any string at all, bypassing this app's checks.
fn write_raw_party(doc: &mut SheetDoc, role: Role, key: &str, name: &str) {
    use automerge::{transaction::Transactable, ObjType, ReadDoc, ROOT};
    let am = doc.automerge_mut();
    let parties = match am.get(ROOT, "parties").expect("get") {
        Some((automerge::Value::Object(ObjType::Map), id)) => id,
        _ => am
            .put_object(ROOT, "parties", ObjType::Map)
            .expect("parties"),
    };
    let p = am
        .put_object(&parties, role.as_str(), ObjType::Map)
        .expect("party");
    am.put(&p, "key", key).expect("key");
    am.put(&p, "name", name).expect("name");
    am.commit();
}

#[test]
fn fingerprints_cut_keys_by_characters_never_by_bytes() {
    assert_eq!(sign::fingerprint("中文中文"), "中文中文·");
    assert_eq!(sign::fingerprint("中文中文中文中文中"), "中文中文·中文中文");
    assert_eq!(sign::fingerprint("ab"), "ab·");
    assert_eq!(sign::fingerprint(""), "·");
    assert_eq!(sign::fingerprint("é1234567890"), "é123·4567");
    let key = alice().public_key();
    assert_eq!(
        sign::fingerprint(&key),
        format!("{}·{}", &key[..4], &key[4..8])
    );
}

#[test]
fn keys_are_checked_as_real_ed25519_public_keys() {
    use sign::{check_key, KeyProblem};
    assert!(check_key(&alice().public_key()).is_ok());
    assert_eq!(check_key("").err(), Some(KeyProblem::Empty));
    assert_eq!(check_key("中文中文").err(), Some(KeyProblem::NotBase58));
    assert_eq!(check_key("0OIl").err(), Some(KeyProblem::NotBase58));
    assert_eq!(check_key("short").err(), Some(KeyProblem::Length(4)));
    // 32 bytes that are no point on the curve (y = 2 has no x).
    let mut not_a_point = [0u8; 32];
    not_a_point[0] = 2;
    assert_eq!(
        check_key(&bs58::encode(not_a_point).into_string()).err(),
        Some(KeyProblem::NotAPoint)
    );
    // The identity point: 32 bytes, a point, but a weak key anyone can "sign" for.
    let mut identity = [0u8; 32];
    identity[0] = 1;
    assert_eq!(
        check_key(&bs58::encode(identity).into_string()).err(),
        Some(KeyProblem::NotAPoint)
    );
}

#[test]
fn joining_with_a_key_that_is_not_a_public_key_is_refused() {
    let mut doc = q3_sheet();
    for key in ["中文中文", "short", ""] {
        let err = doc
            .apply(Edit::ClaimRole {
                role: Role::Employee,
                party: domain::Party {
                    key: key.into(),
                    name: "Mallory".into(),
                },
            })
            .expect_err(key);
        assert!(
            err.to_string().contains("not a valid public key"),
            "{key:?}: {err}"
        );
    }
    assert_eq!(doc.read().expect("read").parties.employee, None);
}

#[test]
fn a_crafted_party_key_is_reported_invalid_and_never_panics() {
    // Both signed, then someone with the link writes a party key of Chinese characters.
    let mut doc = both_signed();
    write_raw_party(&mut doc, Role::Employee, "中文中文", "Mallory");
    // Reading, verifying (which lists the change with both keys' fingerprints) and the
    // readiness check all run on every load and sync: none may panic.
    let mut fresh = SheetDoc::load(&doc.save()).expect("load");
    let sheet = fresh.read().expect("read");
    let party = sheet.party(Role::Employee).expect("party");
    assert_eq!(party.key_problem(), Some(sign::KeyProblem::NotBase58));
    let report = sign::report(&mut fresh, ID).expect("report");
    match &report.employee {
        SignatureState::Void { changes, .. } => assert!(
            changes
                .iter()
                .any(|c| c.contains("Employee key") && c.contains("中文中文·")),
            "{changes:?}"
        ),
        other => panic!("{other:?}"),
    }
    assert!(
        readiness(&sheet, Role::Manager, &bob().public_key()).contains(&NotReady::BadPartyKey(
            "employee",
            sign::KeyProblem::NotBase58
        ))
    );

    // A sheet whose party key was never valid: its copied signature is invalid, with the reason.
    let mut doc = agreed();
    let record = sign::sign(&mut doc, ID, &alice(), Role::Employee, AT).expect("sign");
    let mut other = q3_sheet();
    write_raw_party(&mut other, Role::Employee, "ab", "Alice");
    other.apply(Edit::Sign(record)).expect("store");
    assert_eq!(
        sign::report(&mut other, ID).expect("report").employee,
        SignatureState::Invalid(Invalid::PartyKey("employee", sign::KeyProblem::Length(2)))
    );
    // And a signature record whose own key is not base58.
    let mut doc = both_signed();
    let record = doc.read().expect("read").signatures[0].clone();
    doc.apply(Edit::Sign(domain::SignatureRecord {
        key: "中文中文".into(),
        ..record
    }))
    .expect("store");
    assert_eq!(
        sign::report(&mut doc, ID).expect("report").employee,
        SignatureState::Invalid(Invalid::Key(sign::KeyProblem::NotBase58))
    );
}

#[test]
fn a_signature_shows_the_joined_partys_name_not_the_unsigned_name_in_its_record() {
    let mut doc = both_signed();
    // Someone rewrites the (unsigned) name in Alice's signature record.
    let record = doc.read().expect("read").signatures[0].clone();
    assert_eq!(record.role, Role::Employee);
    doc.apply(Edit::Sign(domain::SignatureRecord {
        name: "The CEO".into(),
        ..record
    }))
    .expect("store");
    let report = sign::report(&mut doc, ID).expect("report");
    assert_eq!(
        report.employee,
        SignatureState::Valid {
            name: "Alice".into(),
            key: alice().public_key(),
            at: AT.into()
        },
        "the name Alice joined with, and her key"
    );
    // Void too: the name is the party's in the signed version.
    let row = first_row(&doc);
    doc.apply(Edit::GoalWeight { row, weight: 45 })
        .expect("edit");
    match sign::report(&mut doc, ID).expect("report").employee {
        SignatureState::Void { name, key, .. } => {
            assert_eq!(name, "Alice");
            assert_eq!(key, alice().public_key());
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn signing_waits_for_both_parties_and_for_named_rows_with_deadlines_in_the_cycle() {
    let mut doc = template_sheet();
    doc.apply(Edit::ClaimRole {
        role: Role::Employee,
        party: alice().party(),
    })
    .expect("join");
    // Only Alice has joined: a signature now would be voided by Bob joining.
    let sheet = doc.read().expect("read");
    assert_eq!(
        readiness(&sheet, Role::Employee, &alice().public_key()),
        vec![NotReady::PartyMissing("manager")]
    );
    assert_eq!(
        NotReady::PartyMissing("manager").to_string(),
        "the manager has not joined this sheet yet"
    );
    assert_eq!(
        sign::sign(&mut doc, ID, &alice(), Role::Employee, AT),
        Err(vec![NotReady::PartyMissing("manager")])
    );
    doc.apply(Edit::ClaimRole {
        role: Role::Manager,
        party: bob().party(),
    })
    .expect("join");
    assert!(readiness(
        &doc.read().expect("read"),
        Role::Employee,
        &alice().public_key()
    )
    .is_empty());

    // A row with no name, and one whose deadline is after the cycle's end.
    doc.apply(Edit::GoalText {
        row: RowId::from_random(1),
        field: GoalField::Name,
        value: "  ".into(),
    })
    .expect("edit");
    doc.apply(Edit::GoalDeadline {
        row: RowId::from_random(3),
        deadline: Some(date(2023, 10, 15)),
    })
    .expect("edit");
    let sheet = doc.read().expect("read");
    assert_eq!(
        readiness(&sheet, Role::Manager, &bob().public_key()),
        vec![NotReady::NoName(1), NotReady::DeadlineOutsideCycle(3)]
    );
    assert_eq!(
        NotReady::DeadlineOutsideCycle(3).to_string(),
        "goal 3's deadline is outside the cycle"
    );
    assert!(sign::sign(&mut doc, ID, &bob(), Role::Manager, AT).is_err());
}

#[test]
fn on_a_department_sheet_a_changed_name_is_the_department_names() {
    let mut doc = agreed();
    doc.apply(Edit::SetKind(domain::SheetKind::Department))
        .expect("kind");
    sign_as(&mut doc, &alice(), Role::Employee);
    sign_as(&mut doc, &bob(), Role::Manager);
    doc.apply(Edit::Header {
        field: domain::SheetField::Employee,
        value: "Sales East".into(),
    })
    .expect("edit");
    match sign::report(&mut doc, ID).expect("report").employee {
        SignatureState::Void { changes, .. } => {
            assert_eq!(changes, vec!["Department name: “Alice” → “Sales East”"])
        }
        other => panic!("{other:?}"),
    }
}
