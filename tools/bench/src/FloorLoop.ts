/**
 * The floor of the overhead figure: the bare loop's calls plus the work any harness must do for each
 * sample under this project's contract, in plain JavaScript, with no framework, no schemas and no
 * checks. What it leaves out only makes it cheaper, so no harness that does this work can beat it:
 *
 * - the prompts come built, as for the bare loop (no dataset is read, decoded or checked);
 * - per sample: the response cache's key (sha256 of the request), a cache lookup in SQLite, the call
 *   (streamed, as the bare loop makes it), the answer read with the project's own parser
 *   (`ChoiceAnswer.extract`), scored against the reference, and the result and the answer kept in
 *   SQLite, 256 rows to a transaction (the harness's group commit);
 * - at the end, samples.jsonl written from the store in dataset order.
 *
 * No retries, timeouts, cancellation, progress, concurrency control or error records.
 */
import { ChoiceAnswer } from "@clinical-evals/parsers"
import { createHash } from "node:crypto"
import { writeFileSync } from "node:fs"
import { createRequire } from "node:module"
import { join } from "node:path"
import { Ollama } from "ollama"

/** What the floor needs of better-sqlite3 (a dependency of the store; its types are not installed). */
interface Statement {
  readonly run: (...params: ReadonlyArray<unknown>) => unknown
  readonly get: (...params: ReadonlyArray<unknown>) => unknown
  readonly all: (...params: ReadonlyArray<unknown>) => ReadonlyArray<Record<string, unknown>>
}
interface Database {
  readonly pragma: (source: string) => unknown
  readonly exec: (source: string) => unknown
  readonly prepare: (source: string) => Statement
  readonly transaction: <A extends ReadonlyArray<unknown>>(f: (...args: A) => void) => (...args: A) => void
  readonly close: () => void
}
const Sqlite = createRequire(import.meta.url)("better-sqlite3") as new (file: string) => Database

/** One sample as the floor sends it: the prompt the task built, the options and the reference letter. */
export interface FloorSample {
  readonly id: string
  readonly messages: ReadonlyArray<{ readonly role: string; readonly content: string }>
  readonly options: Readonly<Record<string, string>>
  readonly answer: string
}

const ROWS_PER_COMMIT = 256

/** Runs the floor into `dir` (a new folder); resolves with the number of right answers. */
export const run = async (
  host: string,
  model: string,
  samples: ReadonlyArray<FloorSample>,
  concurrency: number,
  dir: string
): Promise<number> => {
  const db = new Sqlite(join(dir, "floor.sqlite"))
  db.pragma("journal_mode = WAL")
  db.pragma("synchronous = NORMAL")
  db.exec("CREATE TABLE results (sample_id TEXT PRIMARY KEY, idx INTEGER, status TEXT, record TEXT)")
  db.exec("CREATE TABLE cache (key TEXT PRIMARY KEY, generation TEXT)")
  const lookup = db.prepare("SELECT generation FROM cache WHERE key = ?")
  const putResult = db.prepare("INSERT OR REPLACE INTO results VALUES (?, ?, ?, ?)")
  const putAnswer = db.prepare("INSERT OR REPLACE INTO cache VALUES (?, ?)")
  const commit = db.transaction((rows: ReadonlyArray<readonly [ReadonlyArray<unknown>, ReadonlyArray<unknown>]>) => {
    for (const [result, answer] of rows) {
      putResult.run(...result)
      putAnswer.run(...answer)
    }
  })
  const options = { temperature: 0, num_predict: 512, seed: 1234 }
  const client = new Ollama({ host })
  let pending: Array<readonly [ReadonlyArray<unknown>, ReadonlyArray<unknown>]> = []
  let next = 0
  let correct = 0
  const worker = async () => {
    while (next < samples.length) {
      const index = next++
      const sample = samples[index]!
      const key = createHash("sha256").update(JSON.stringify({ model, messages: sample.messages, options })).digest("hex")
      // The lookup a cold run pays for every sample; the floor's cache is new, so it always misses.
      if (lookup.get(key) !== undefined) throw new Error(`the floor's new cache already holds ${sample.id}`)
      const started = performance.now()
      let text = ""
      const stream = await client.chat({ model, messages: [...sample.messages], stream: true, options })
      for await (const part of stream) text += part.message.content
      const latencyMs = performance.now() - started
      const parsed = ChoiceAnswer.extract(text, sample.options)
      const score = parsed.answer === sample.answer ? 1 : 0
      correct += score
      const record = JSON.stringify({
        id: sample.id, index, model, status: "ok", parse_status: parsed.status, prediction: parsed.answer,
        reference: sample.answer, scores: { correct: score }, explanation: parsed.explanation, raw: text,
        latencyMs, cached: false, messages: sample.messages
      })
      pending.push([[sample.id, index, "ok", record], [key, JSON.stringify({ text, latencyMs })]])
      if (pending.length >= ROWS_PER_COMMIT) {
        commit(pending)
        pending = []
      }
    }
  }
  await Promise.all(Array.from({ length: concurrency }, worker))
  commit(pending)
  const lines = db.prepare("SELECT record FROM results ORDER BY idx").all().map((r) => r["record"] as string)
  writeFileSync(join(dir, "samples.jsonl"), lines.join("\n") + "\n")
  db.close()
  return correct
}
