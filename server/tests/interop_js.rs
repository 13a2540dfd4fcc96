//! The JavaScript reference client (npm `@automerge/automerge-repo` and its WebSocket adapter,
//! under Node) syncs through our relay with our native client: a document it creates reaches
//! us, our change to it reaches it back, a goal sheet we create reaches it, and it reads the
//! relay's storage id from the handshake and keeps its sync state under it.
//!
//! Needs `node` and `npm ci` in `end2end/` (scripts/setup does both).

use automerge::transaction::Transactable;
use automerge::{ReadDoc, ROOT};
use domain::{Cycle, CycleKind, NewSheet, SheetDoc};
use repo_sync::{DocStore, DocumentId};
use server::peer::NativePeer;
use server::relay::{Limits, Relay};
use server::store::RedbStore;
use std::path::PathBuf;
use std::process::Stdio;
use std::sync::Arc;
use std::time::Duration;
use tokio::io::{AsyncBufReadExt, BufReader};

const WAIT: Duration = Duration::from_secs(15);

fn end2end_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../end2end")
}

#[tokio::test]
async fn the_javascript_reference_client_syncs_through_our_relay() {
    let modules = end2end_dir().join("node_modules/@automerge/automerge-repo");
    assert!(
        modules.exists(),
        "the JavaScript reference client is not installed: run `npm ci` in end2end/ (scripts/setup)"
    );
    let dir = tempfile::tempdir().expect("tempdir");
    let store = Arc::new(RedbStore::open(dir.path()).expect("store"));
    let relay = Relay::new(store.clone(), Limits::default());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let url = format!("ws://{}/sync", listener.local_addr().expect("addr"));
    let router = relay.clone().router();
    tokio::spawn(async move {
        let _ = axum::serve(listener, router).await;
    });

    // A goal sheet made on our side, for the JavaScript client to find.
    let sheet_id = DocumentId::from_random(*b"rust-made sheet!");
    let mut sheet = SheetDoc::create(&NewSheet {
        title: "Q3 goals".into(),
        employee: "Employee X".into(),
        manager: "Manager Y".into(),
        cycle: Cycle::containing(CycleKind::Quarterly, chrono_date()),
    })
    .expect("sheet");
    let mut ours = NativePeer::connect(&url, "rust").await.expect("connect");
    *ours.track(sheet_id) = sheet.automerge_mut().clone();
    ours.push(sheet_id).await.expect("push");
    ours.sync_until(WAIT, |p| p.in_sync(&sheet_id))
        .await
        .expect("sheet on the relay");

    let mut node = tokio::process::Command::new("node")
        .arg(end2end_dir().join("interop/js-peer.mjs"))
        .arg(&url)
        .arg(sheet_id.to_url())
        .current_dir(end2end_dir())
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .kill_on_drop(true)
        .spawn()
        .expect("node runs");
    let mut lines = BufReader::new(node.stdout.take().expect("stdout")).lines();
    let mut next_line = async || -> String {
        tokio::time::timeout(WAIT, lines.next_line())
            .await
            .expect("the JavaScript client answers in time")
            .expect("read")
            .expect("a line")
    };

    let created = next_line().await;
    let js_url = created
        .strip_prefix("CREATED ")
        .unwrap_or_else(|| panic!("unexpected: {created}"));
    let js_id: DocumentId = js_url.parse().expect("a valid automerge URL");

    // The JavaScript document reaches our native client through the relay…
    ours.track(js_id);
    ours.push(js_id).await.expect("request");
    ours.sync_until(WAIT, |p| {
        p.docs
            .get(&js_id)
            .and_then(|d| d.get(ROOT, "title").ok().flatten())
            .is_some()
    })
    .await
    .expect("the JavaScript document arrived");
    let doc = ours.docs.get(&js_id).expect("doc");
    let title = match doc.get(ROOT, "title").expect("get") {
        Some((automerge::Value::Object(automerge::ObjType::Text), obj)) => {
            doc.text(&obj).expect("text")
        }
        Some((automerge::Value::Scalar(s), _)) => s.to_string(),
        other => panic!("title is {other:?}"),
    };
    assert_eq!(title, "from js");

    // …and our change reaches it back.
    ours.track(js_id)
        .put(ROOT, "reply", "from rust")
        .expect("put");
    ours.push(js_id).await.expect("push");
    let reply = loop {
        tokio::select! {
            line = next_line() => break line,
            r = ours.sync_until(Duration::from_millis(200), |_| false) => { let _ = r; }
        }
    };
    assert_eq!(reply, "REPLY from rust");
    let found = next_line().await;
    assert_eq!(
        found, "FOUND Q3 goals",
        "the JavaScript client read our goal sheet"
    );
    // The JavaScript repo read the relay's `peerMetadata`: a durable storage with this data
    // directory's id, under which it keeps its sync state with the relay.
    let storage_id = store.storage_id().expect("the store has an id");
    assert_eq!(
        next_line().await,
        format!("RELAY {} ephemeral=false", storage_id.as_str())
    );
    assert_eq!(
        next_line().await,
        format!("SYNC-STATE {}", storage_id.as_str())
    );
    let status = tokio::time::timeout(WAIT, node.wait())
        .await
        .expect("node exits")
        .expect("status");
    assert!(status.success(), "node exited with {status}");
    relay.close_all();
}

fn chrono_date() -> chrono::NaiveDate {
    chrono::NaiveDate::from_ymd_opt(2026, 8, 14).unwrap_or_default()
}
