// The JavaScript reference client (npm @automerge/automerge-repo with its WebSocket adapter)
// against our relay. Driven by server/tests/interop_js.rs over stdin/stdout:
//
//   node js-peer.mjs ws://127.0.0.1:PORT/sync [automerge:URL-of-a-document-made-by-rust]
//
// 1. Creates a document {title: "from js", items: [1, 2, 3]} and prints `CREATED <url>`.
// 2. Waits until someone sets its `reply` field, then prints `REPLY <reply>`.
// 3. If given a URL, finds that document through the relay and prints `FOUND <title>`.
// 4. Prints what the relay said of its storage in the handshake, `RELAY <storageId>
//    ephemeral=<isEphemeral>`, then, once the repo has saved its sync state with the relay under
//    that storage id (which it does only for a peer with a storage id that is not ephemeral),
//    `SYNC-STATE <storageId>`.
// Exits 0 when done, 1 on timeout or error.
import { Repo } from "@automerge/automerge-repo"
import { WebSocketClientAdapter } from "@automerge/automerge-repo-network-websocket"

const [relayUrl, foreignUrl] = process.argv.slice(2)
const fail = (why) => {
  console.log(`FAIL ${why}`)
  process.exit(1)
}
setTimeout(() => fail("timed out"), 20000).unref()

// Storage in memory, so that the repo keeps sync states per peer storage id as a browser would.
const stored = new Map()
const keyOf = (key) => JSON.stringify(key)
const storage = {
  async load(key) {
    return stored.get(keyOf(key))?.data
  },
  async save(key, data) {
    stored.set(keyOf(key), { key, data })
  },
  async remove(key) {
    stored.delete(keyOf(key))
  },
  async loadRange(prefix) {
    return [...stored.values()].filter(({ key }) => prefix.every((p, i) => key[i] === p))
  },
  async removeRange(prefix) {
    for (const { key } of await this.loadRange(prefix)) stored.delete(keyOf(key))
  },
}

const repo = new Repo({ network: [new WebSocketClientAdapter(relayUrl)], storage })
const handle = repo.create({ title: "from js", items: [1, 2, 3] })
console.log(`CREATED ${handle.url}`)

const reply = await new Promise((resolve) => {
  const check = () => {
    const doc = handle.doc()
    if (doc && doc.reply) resolve(String(doc.reply))
  }
  handle.on("change", check)
  check()
})
console.log(`REPLY ${reply}`)

if (foreignUrl) {
  try {
    const found = await repo.find(foreignUrl)
    const doc = found.doc()
    console.log(`FOUND ${doc.title}`)
  } catch (e) {
    fail(`find: ${e}`)
  }
}
const [relayPeer] = repo.peers
const meta = relayPeer ? repo.peerMetadataByPeerId[relayPeer] : undefined
if (!meta) fail("no metadata from the relay")
console.log(`RELAY ${meta.storageId} ephemeral=${meta.isEphemeral}`)
// The repo throttles these saves per peer storage id, not per document: the last document to
// sync wins, so look for any document's sync state.
const syncState = await new Promise((resolve) => {
  const check = () => {
    const found = [...stored.values()].find(({ key }) => key[1] === "sync-state")
    if (found) resolve(found.key[2])
    else setTimeout(check, 50)
  }
  check()
})
console.log(`SYNC-STATE ${syncState}`)
await repo.shutdown?.()
process.exit(0)
