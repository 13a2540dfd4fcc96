//! The server binary stops cleanly on SIGTERM (what service managers and container runtimes
//! send), and what the relay acknowledged is in the store afterwards.

#![cfg(unix)]

use automerge::transaction::Transactable;
use automerge::{Automerge, ReadDoc, ROOT};
use repo_sync::{DocStore, DocumentId};
use server::peer::NativePeer;
use server::store::RedbStore;
use std::process::Stdio;
use std::time::Duration;

const WAIT: Duration = Duration::from_secs(15);

#[tokio::test]
async fn sigterm_stops_the_server_cleanly_with_its_documents_stored() {
    let data = tempfile::tempdir().expect("tempdir");
    let site = tempfile::tempdir().expect("tempdir");
    let port = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
        l.local_addr().expect("addr").port()
    };
    let mut server = tokio::process::Command::new(env!("CARGO_BIN_EXE_goals-server"))
        .arg("--addr")
        .arg(format!("127.0.0.1:{port}"))
        .arg("--data-dir")
        .arg(data.path())
        .arg("--site-root")
        .arg(site.path())
        .env("RUST_LOG", "warn")
        .stdout(Stdio::null())
        .kill_on_drop(true)
        .spawn()
        .expect("the server starts");
    let url = format!("ws://127.0.0.1:{port}/sync");
    let deadline = tokio::time::Instant::now() + WAIT;
    let mut peer = loop {
        match NativePeer::connect(&url, "a").await {
            Ok(p) => break p,
            Err(_) if tokio::time::Instant::now() < deadline => {
                tokio::time::sleep(Duration::from_millis(50)).await
            }
            Err(e) => panic!("the server does not answer: {e}"),
        }
    };
    let id = DocumentId::from_random(*b"kept on sigterm!");
    let doc = peer.track(id);
    for i in 0..50 {
        doc.put(ROOT, "n", i as i64).expect("put");
        doc.commit();
    }
    let heads = doc.get_heads();
    peer.push(id).await.expect("push");
    peer.sync_until(WAIT, |p| p.in_sync(&id))
        .await
        .expect("the relay has it");

    let pid = server.id().expect("running");
    let sent = std::process::Command::new("kill")
        .arg("-TERM")
        .arg(pid.to_string())
        .status()
        .expect("kill runs");
    assert!(sent.success());
    let status = tokio::time::timeout(WAIT, server.wait())
        .await
        .expect("the server stops in time")
        .expect("status");
    assert!(
        status.success(),
        "the server exits normally on SIGTERM: {status}"
    );
    // Our connection was closed by the relay going away.
    let reason = peer.closed_reason(WAIT).await.expect("closed");
    assert!(reason.contains("shutting down"), "close reason: {reason:?}");

    let store = RedbStore::open(data.path()).expect("the store opens again");
    let bytes = store.load(&id).expect("load").expect("stored");
    let stored = Automerge::load(&bytes).expect("loads");
    assert_eq!(stored.get_heads(), heads);
    assert_eq!(
        stored.get(ROOT, "n").expect("get").map(|(v, _)| v.as_i64()),
        Some(Some(49))
    );
}
