/**
 * Starts a fake Ollama server from the command line, for end-to-end tests that need it in another
 * process:
 *
 *   npx tsx tools/fake-ollama/src/bin.ts --port 0 --script script.json
 *
 * prints its URL (`http://127.0.0.1:<port>`) on one line, then serves until SIGINT or SIGTERM.
 */
import * as NodeContext from "@effect/platform-node/NodeContext"
import * as NodeRuntime from "@effect/platform-node/NodeRuntime"
import * as Console from "effect/Console"
import * as Effect from "effect/Effect"
import { parseArgs } from "node:util"
import * as FakeOllama from "./FakeOllama.js"
import * as Script from "./Script.js"

const usage = "usage: fake-ollama [--port <n>] [--host <ip>] [--script <file.json>]"

/** With no script: two models and a fixed reply. */
const defaultConfig: FakeOllama.Config = {
  models: [{ name: "llama3:8b" }, { name: "qwen3:4b" }],
  defaultReply: () => "Answer: A"
}

const program = Effect.gen(function* () {
  const args = yield* Effect.try({
    try: () =>
      parseArgs({
        options: {
          port: { type: "string", default: "0" },
          host: { type: "string", default: "127.0.0.1" },
          script: { type: "string" },
          help: { type: "boolean", short: "h" }
        },
        strict: true
      }).values,
    catch: (e) => new Script.ScriptError({ file: "", message: `${e instanceof Error ? e.message : String(e)}\n${usage}` })
  })
  if (args.help) return yield* Console.log(usage)
  const port = Number(args.port)
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    return yield* new Script.ScriptError({ file: "", message: `--port must be a port number, got ${args.port}\n${usage}` })
  }
  const config = args.script === undefined ? defaultConfig : yield* Script.load(args.script)
  const server = yield* FakeOllama.make({ ...config, port, hostname: args.host })
  yield* Console.log(server.url)
  return yield* Effect.never
}).pipe(
  Effect.scoped,
  Effect.catchAll((e) =>
    Console.error(e._tag === "ScriptError" && e.file !== "" ? `${e.file}: ${e.message}` : e.message).pipe(
      Effect.zipRight(Effect.sync(() => (process.exitCode = 2)))
    )
  )
)

NodeRuntime.runMain(program.pipe(Effect.provide(NodeContext.layer)))
