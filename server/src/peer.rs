//! A native sync peer: a [`repo_sync::Client`] over a real WebSocket (tokio-tungstenite).
//!
//! The same protocol code as the browser, driven from tokio: for the relay's tests, the
//! interop test against the JavaScript reference client, and tools.

use automerge::AutoCommit;
use futures_util::{SinkExt, StreamExt};
use repo_sync::{Client, DocumentId, Incoming, PeerId, PeerMetadata};
use std::collections::{HashMap, HashSet};
use std::time::Duration;
use tokio::net::TcpStream;
use tokio_tungstenite::tungstenite::Message as WsMessage;
use tokio_tungstenite::{MaybeTlsStream, WebSocketStream};

type Ws = WebSocketStream<MaybeTlsStream<TcpStream>>;

/// A connected peer holding its own copies of documents.
pub struct NativePeer {
    ws: Ws,
    client: Client,
    pub docs: HashMap<DocumentId, AutoCommit>,
    pub unavailable: HashSet<DocumentId>,
    /// Bytes of every frame sent, for measuring what a resumed session costs.
    pub bytes_sent: usize,
    /// Bytes of every frame received, likewise.
    pub bytes_received: usize,
}

impl NativePeer {
    /// Connect to a relay at `url` (`ws://host:port/sync`) and complete the handshake.
    pub async fn connect(url: &str, name: &str) -> anyhow::Result<NativePeer> {
        Self::connect_with(url, Client::new(PeerId::new(name), None), HashMap::new()).await
    }

    /// Connect with an existing client (its sync states resume) and documents.
    pub async fn connect_with(
        url: &str,
        mut client: Client,
        docs: HashMap<DocumentId, AutoCommit>,
    ) -> anyhow::Result<NativePeer> {
        let (ws, _) = tokio_tungstenite::connect_async(url).await?;
        let join = client.open();
        let mut peer = NativePeer {
            ws,
            client,
            docs,
            unavailable: HashSet::new(),
            bytes_sent: 0,
            bytes_received: 0,
        };
        peer.send(join).await?;
        loop {
            let frame = peer.next_frame(Duration::from_secs(5)).await?;
            if peer.client.receive(&frame)? == Incoming::Ready {
                break;
            }
        }
        let ids: Vec<DocumentId> = peer.docs.keys().copied().collect();
        for id in ids {
            peer.push(id).await?;
        }
        Ok(peer)
    }

    /// Disconnect, keeping the client (and its resumable sync states) and the documents.
    pub async fn disconnect(mut self) -> (Client, HashMap<DocumentId, AutoCommit>) {
        let _ = self.ws.close(None).await;
        self.client.closed();
        (self.client, self.docs)
    }

    pub async fn send(&mut self, frame: Vec<u8>) -> anyhow::Result<()> {
        self.bytes_sent += frame.len();
        self.ws.send(WsMessage::Binary(frame.into())).await?;
        Ok(())
    }

    /// Send a raw WebSocket message (for tests of bad input).
    pub async fn send_raw(&mut self, msg: WsMessage) -> anyhow::Result<()> {
        self.ws.send(msg).await?;
        Ok(())
    }

    async fn next_frame(&mut self, timeout: Duration) -> anyhow::Result<Vec<u8>> {
        loop {
            let msg = tokio::time::timeout(timeout, self.ws.next())
                .await
                .map_err(|_| anyhow::anyhow!("no frame from the relay within {timeout:?}"))?
                .ok_or_else(|| anyhow::anyhow!("the relay closed the connection"))??;
            match msg {
                WsMessage::Binary(b) => {
                    self.bytes_received += b.len();
                    return Ok(b.to_vec());
                }
                WsMessage::Close(frame) => {
                    anyhow::bail!("the relay closed the connection: {frame:?}")
                }
                _ => continue,
            }
        }
    }

    /// What the relay said of itself in the handshake (its storage id, whether it is ephemeral).
    pub fn relay_metadata(&self) -> Option<&PeerMetadata> {
        self.client.remote_metadata()
    }

    /// Start syncing a document (an empty one asks the relay for it).
    pub fn track(&mut self, id: DocumentId) -> &mut AutoCommit {
        self.docs.entry(id).or_default()
    }

    /// Send what the relay lacks of a document.
    pub async fn push(&mut self, id: DocumentId) -> anyhow::Result<()> {
        let doc = self.docs.entry(id).or_default();
        let empty = doc.get_heads().is_empty();
        let frame = self.client.generate(id, &doc.sync(), empty);
        if let Some(frame) = frame {
            self.send(frame).await?;
        }
        Ok(())
    }

    /// Handle frames until `done` holds, or fail after `timeout`.
    pub async fn sync_until(
        &mut self,
        timeout: Duration,
        mut done: impl FnMut(&mut NativePeer) -> bool,
    ) -> anyhow::Result<()> {
        let deadline = tokio::time::Instant::now() + timeout;
        while !done(self) {
            let left = deadline.saturating_duration_since(tokio::time::Instant::now());
            if left.is_zero() {
                anyhow::bail!("condition not met within {timeout:?}");
            }
            let frame = self.next_frame(left).await?;
            match self.client.receive(&frame)? {
                Incoming::Sync { document, data } => {
                    let doc = self.docs.entry(document).or_default();
                    self.client.apply(document, &mut doc.sync(), &data)?;
                    self.push(document).await?;
                }
                Incoming::Unavailable(d) => {
                    self.unavailable.insert(d);
                }
                _ => {}
            }
        }
        Ok(())
    }

    /// Whether the relay has acknowledged every change of a document.
    pub fn in_sync(&mut self, id: &DocumentId) -> bool {
        let heads = self.docs.entry(*id).or_default().get_heads();
        self.client.in_sync(id, &heads)
    }

    /// Wait for the connection to be closed by the relay; returns the close reason.
    pub async fn closed_reason(&mut self, timeout: Duration) -> anyhow::Result<String> {
        let deadline = tokio::time::Instant::now() + timeout;
        loop {
            let left = deadline.saturating_duration_since(tokio::time::Instant::now());
            match tokio::time::timeout(left, self.ws.next()).await {
                Err(_) => anyhow::bail!("still open after {timeout:?}"),
                Ok(None) => return Ok(String::new()),
                Ok(Some(Err(e))) => return Ok(e.to_string()),
                Ok(Some(Ok(WsMessage::Close(frame)))) => {
                    return Ok(frame.map(|f| f.reason.to_string()).unwrap_or_default())
                }
                Ok(Some(Ok(_))) => continue,
            }
        }
    }
}
