// The JavaScript reference client (npm @automerge/automerge-repo with its WebSocket adapter)
// against our relay. Driven by server/tests/interop_js.rs over stdin/stdout:
//
//   node js-peer.mjs ws://127.0.0.1:PORT/sync [automerge:URL-of-a-document-made-by-rust]
//
// 1. Creates a document {title: "from js", items: [1, 2, 3]} and prints `CREATED <url>`.
// 2. Waits until someone sets its `reply` field, then prints `REPLY <reply>`.
// 3. If given a URL, finds that document through the relay and prints `FOUND <title>`.
// Exits 0 when done, 1 on timeout or error.
import { Repo } from "@automerge/automerge-repo"
import { WebSocketClientAdapter } from "@automerge/automerge-repo-network-websocket"

const [relayUrl, foreignUrl] = process.argv.slice(2)
const fail = (why) => {
  console.log(`FAIL ${why}`)
  process.exit(1)
}
setTimeout(() => fail("timed out"), 20000).unref()

const repo = new Repo({ network: [new WebSocketClientAdapter(relayUrl)] })
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
await repo.shutdown?.()
process.exit(0)
