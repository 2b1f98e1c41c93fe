/**
 * Harness benchmarks (`npm run bench`, after the metric ones): the runner's overhead over a bare loop
 * of `ollama` client calls (and the floor under it: the same calls plus the work any harness must do
 * for each sample, in plain JavaScript, `FloorLoop`), how close it keeps a slow server to saturation,
 * what a fully cached re-run costs next to the cold run, and the peak memory of a 100,000-sample run.
 * Every figure that is compared is measured in this run, side by side. See docs/benchmarks.md for the
 * method.
 */
import { Main } from "@clinical-evals/evaluator"
import { CaseChallengeTask } from "@clinical-evals/task-case-challenge"
import * as NodeContext from "@effect/platform-node/NodeContext"
import * as Effect from "effect/Effect"
import { Ollama } from "ollama"
import { execFileSync, spawn } from "node:child_process"
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs"
import { cpus, loadavg, tmpdir } from "node:os"
import { join } from "node:path"
import { fileURLToPath } from "node:url"
import * as CaseGenerator from "./CaseGenerator.js"
import * as FloorLoop from "./FloorLoop.js"
import * as HarnessRun from "./HarnessRun.js"

// The heap as the clinical-evals command sets it (the harness runs in this process, as in the command's).
Main.configureHeap()

const SAMPLES = Number(process.env["BENCH_HARNESS_SAMPLES"] ?? 5_000)
const MEMORY_SAMPLES = Number(process.env["BENCH_MEMORY_SAMPLES"] ?? 100_000)
const CONCURRENCY = 4
const ROUNDS = 3
const SLOTS = 16
const LATENCY_MS = 50
const SATURATION_SAMPLES = 1_600
const MODEL = "bench:1b"

const fmt = (x: number, digits = 0) => x.toLocaleString("en-US", { maximumFractionDigits: digits, minimumFractionDigits: digits })
const median = (xs: ReadonlyArray<number>) => {
  const s = [...xs].sort((a, b) => a - b)
  const m = s.length >> 1
  return s.length % 2 === 1 ? s[m]! : (s[m - 1]! + s[m]!) / 2
}
const timed = async (f: () => Promise<unknown>): Promise<number> => {
  const t = performance.now()
  await f()
  return performance.now() - t
}

const root = mkdtempSync(join(tmpdir(), "harness-bench-"))
const dataset = join(root, "cases.jsonl")
CaseGenerator.write(dataset, Math.max(SAMPLES, SATURATION_SAMPLES))
const saturationDataset = join(root, "saturation.jsonl")
CaseGenerator.write(saturationDataset, SATURATION_SAMPLES)

const BENCH_DIR = fileURLToPath(new URL("..", import.meta.url))

/** The fake Ollama server in its own process (as Ollama is), so that it does not share the harness's thread. */
const startServer = (latencyMs: number, slots: number) =>
  new Promise<{ url: string; close: () => void }>((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", "--conditions=@clinical-evals/source", "src/fake-server.ts", String(latencyMs), String(slots)], {
      cwd: BENCH_DIR,
      stdio: ["ignore", "pipe", "inherit"]
    })
    let out = ""
    child.stdout.on("data", (d) => {
      out += d
      const line = out.split("\n")[0]!
      if (out.includes("\n")) resolve({ url: line.trim(), close: () => void child.kill() })
    })
    child.on("error", reject)
  })

/**
 * The prompts the harness sends, built by the task itself, for the bare loop to send the same; with each
 * sample's id, options and reference letter, for the floor.
 */
const floorSamples = async (file: string, n: number): Promise<ReadonlyArray<FloorLoop.FloorSample>> => {
  const task = CaseChallengeTask.CaseChallengeTask
  const loaded = await Effect.runPromise(task.load(file, { onBadInput: "fail" }).pipe(Effect.provide(NodeContext.layer)))
  return Effect.runPromise(
    Effect.forEach(loaded.samples.slice(0, n), (s) =>
      task.prompt(s, { shots: [] }).pipe(
        Effect.map((p) => ({
          id: s.id,
          messages: ("messages" in p ? p.messages : p).map((m) => ({ role: m.role, content: m.content })),
          options: s.options,
          answer: s.answer
        }))
      )
    )
  )
}
const prompts = async (file: string, n: number) => (await floorSamples(file, n)).map((s) => s.messages)

/** The bare loop: `concurrency` workers, each sending the next prompt through one `ollama` client, streamed. */
const bareLoop = async (host: string, all: ReadonlyArray<ReadonlyArray<{ role: string; content: string }>>, concurrency: number) => {
  const client = new Ollama({ host })
  let next = 0
  let correct = 0
  const worker = async () => {
    while (next < all.length) {
      const messages = all[next++]!
      const stream = await client.chat({ model: MODEL, messages: [...messages], stream: true, options: { temperature: 0, num_predict: 512, seed: 1234 } })
      let text = ""
      for await (const part of stream) text += part.message.content
      if (/Answer: [A-E]/.test(text)) correct++
    }
  }
  await Promise.all(Array.from({ length: concurrency }, worker))
  return correct
}

const started = performance.now()
console.log(`\nclinical-evals harness benchmarks, ${new Date().toISOString()}`)
console.log(`node ${process.version}, ${cpus().length} x ${cpus()[0]?.model ?? "unknown CPU"}, load average ${loadavg()[0]!.toFixed(2)} at start`)

// Overhead and resume: the fake server with no added latency.
const fast = await startServer(0, 0)
const fastSamples = await floorSamples(dataset, SAMPLES)
const fastPrompts = fastSamples.map((s) => s.messages)
const cold: Array<number> = []
const bare: Array<number> = []
const floor: Array<number> = []
let floorCorrect = 0
const resumed: Array<number> = []
const fromCache: Array<number> = []
let check = ""
for (let round = -1; round < ROUNDS; round++) {
  const dir = join(root, `round-${round}`)
  const sub = { dataset, model: `ollama:${MODEL}`, host: fast.url, concurrency: CONCURRENCY }
  const cache = join(dir, "responses.sqlite")
  mkdirSync(dir, { recursive: true })
  const limited = join(dir, "cases.jsonl")
  CaseGenerator.write(limited, SAMPLES)
  const steps: Array<[Array<number>, () => Promise<unknown>]> = [
    [bare, () => bareLoop(fast.url, fastPrompts, CONCURRENCY)],
    [cold, async () => {
      const r = await HarnessRun.run({ ...sub, dataset: limited, out: join(dir, "run"), cache })
      check = `${r.manifest.counts.ok} ok, accuracy ${r.summary.models[`ollama:${MODEL}`]?.metrics["accuracy"]?.value}`
    }],
    [resumed, () => HarnessRun.run({ ...sub, dataset: limited, out: join(dir, "run"), cache })],
    [fromCache, () => HarnessRun.run({ ...sub, dataset: limited, out: join(dir, "run-from-cache"), cache })],
    [floor, async () => {
      const out = join(dir, "floor")
      mkdirSync(out)
      floorCorrect = await FloorLoop.run(fast.url, MODEL, fastSamples, CONCURRENCY, out)
    }]
  ]
  // The bare loop, the floor and the cold run take turns going first; the re-runs need the cold run before them.
  const order = [[0, 4, 1, 2, 3], [1, 2, 3, 0, 4], [4, 1, 2, 3, 0]][(round + 3) % 3]!
  for (const k of order) {
    const [into, f] = steps[k]!
    const ms = await timed(f)
    if (round >= 0) into.push(ms)
  }
  rmSync(dir, { recursive: true, force: true })
}
fast.close()
if (!check.startsWith(`${SAMPLES} ok, accuracy 1`)) throw new Error(`the harness did not get every scripted answer right: ${check}`)
if (floorCorrect !== SAMPLES) throw new Error(`the floor got ${floorCorrect} of ${SAMPLES} scripted answers right`)

// Saturation: 16 slots of 50 ms each, so the server can answer at most 320 requests per second.
const slow = await startServer(LATENCY_MS, SLOTS)
const capacity = (SLOTS * 1000) / LATENCY_MS
const satPrompts = await prompts(saturationDataset, SATURATION_SAMPLES)
const satHarness: Array<number> = []
const satBare: Array<number> = []
for (let round = 0; round < ROUNDS; round++) {
  const dir = join(root, `sat-${round}`)
  satBare.push(await timed(() => bareLoop(slow.url, satPrompts, SLOTS)))
  satHarness.push(await timed(() =>
    HarnessRun.run({ dataset: saturationDataset, out: join(dir, "run"), model: `ollama:${MODEL}`, host: slow.url, concurrency: SLOTS, cache: join(dir, "c.sqlite") })
  ))
  rmSync(dir, { recursive: true, force: true })
}
slow.close()

// Memory: a child process, so that its peak resident set is the harness's alone.
const memDir = join(root, "memory")
mkdirSync(memDir)
CaseGenerator.write(join(memDir, "cases.jsonl"), MEMORY_SAMPLES)
const memScript = fileURLToPath(new URL("./harness-memory.ts", import.meta.url))
interface MemoryFigures {
  readonly samples: number
  readonly ok: number
  readonly seconds: number
  readonly datasetMb: number
  readonly rssAtStartMb: number
  readonly maxRssMb: number
  readonly records: number
  readonly liveHeapAtStartMb: number
  readonly liveHeapDuringRunMb: number
  readonly liveHeapAtEndMb: number
}
const measureMemory = (nodeArgs: ReadonlyArray<string>, script: string): MemoryFigures => {
  const figures = JSON.parse(
    execFileSync(process.execPath, ["--expose-gc", ...nodeArgs, script, String(MEMORY_SAMPLES), memDir], {
      encoding: "utf8",
      cwd: BENCH_DIR,
      maxBuffer: 1 << 20
    }).trim().split("\n").pop()!
  ) as MemoryFigures
  rmSync(join(memDir, "run"), { recursive: true, force: true })
  if (figures.ok !== MEMORY_SAMPLES) throw new Error(`memory run: ${figures.ok} of ${MEMORY_SAMPLES} samples ok`)
  return figures
}
const memory = measureMemory(["--import", "tsx", "--conditions=@clinical-evals/source"], memScript)

// The clinical-evals command itself on the same file, as a user runs it: from its sources (the bin, tsx
// compiling the TypeScript at load), and built into one JavaScript file (`npm run build` in apps/cli,
// here into tmp/ inside the checkout so that the bundle finds better-sqlite3).
const REPO = join(BENCH_DIR, "..", "..")
const builtCli = join(BENCH_DIR, "tmp", "cli")
execFileSync(process.execPath, [join(REPO, "apps/cli/scripts/build.mjs"), builtCli], { stdio: "ignore" })
const peakScript = fileURLToPath(new URL("./report-peak.mjs", import.meta.url))
const commandPeak = (bin: string): { readonly maxRssMb: number; readonly ok: number; readonly seconds: number } => {
  const out = join(memDir, "cli-run")
  const peakFile = join(memDir, "peak")
  const started = performance.now()
  execFileSync(
    process.execPath,
    ["--import", peakScript, bin, "case-challenge", "--dataset", join(memDir, "cases.jsonl"), "--model", "baseline:first", "--concurrency", "8", "--no-cache", "--out", out],
    { cwd: memDir, stdio: "ignore", env: { ...process.env, PEAK_RSS_FILE: peakFile, XDG_CACHE_HOME: join(memDir, "cache") } }
  )
  const seconds = (performance.now() - started) / 1000
  const ok = (JSON.parse(readFileSync(join(out, "run.json"), "utf8")) as { counts: { ok: number } }).counts.ok
  if (ok !== MEMORY_SAMPLES) throw new Error(`memory run of ${bin}: ${ok} of ${MEMORY_SAMPLES} samples ok`)
  rmSync(out, { recursive: true, force: true })
  return { maxRssMb: Number(readFileSync(peakFile, "utf8")), ok, seconds }
}
const commandFromSources = commandPeak(join(REPO, "apps/cli/bin/clinical-evals.mjs"))
const commandBuilt = commandPeak(join(builtCli, "clinical-evals.mjs"))
rmSync(join(BENCH_DIR, "tmp"), { recursive: true, force: true })

const row = (name: string, ms: number, n: number) =>
  console.log(`  ${name.padEnd(58)}${fmt(ms, 0).padStart(9)} ms${fmt((n * 1000) / ms, 0).padStart(10)} samples/s`)
const ratio = (label: string, x: number, target: string) =>
  console.log(`  RATIO ${label.padEnd(52)}${fmt(x, 3).padStart(7)}   (target ${target}: ${target.startsWith("<") ? (x <= Number(target.slice(2)) ? "met" : "MISSED") : x >= Number(target.slice(2)) ? "met" : "MISSED"})`)

console.log(`\nHarness, ${fmt(SAMPLES)} case-challenge samples, fake Ollama with no latency, concurrency ${CONCURRENCY}, median of ${ROUNDS} rounds (${check})`)
row("bare loop over the ollama client", median(bare), SAMPLES)
row("floor: bare loop + cache, parse, score, store, export", median(floor), SAMPLES)
row("harness, cold (every call made, cache and store written)", median(cold), SAMPLES)
row("harness, re-run in the same folder (everything finished)", median(resumed), SAMPLES)
row("harness, re-run in a new folder, every answer cached", median(fromCache), SAMPLES)
ratio("overhead: harness cold / bare loop", median(cold) / median(bare), "<=1.2")
console.log(`  RATIO ${"floor / bare loop (plain JavaScript, no checks)".padEnd(52)}${fmt(median(floor) / median(bare), 3).padStart(7)}`)
console.log(`  RATIO ${"harness cold / floor (what the harness adds)".padEnd(52)}${fmt(median(cold) / median(floor), 3).padStart(7)}`)
ratio("resume: re-run same folder / cold run", median(resumed) / median(cold), "<=0.05")
ratio("resume: re-run new folder from cache / cold run", median(fromCache) / median(cold), "<=0.05")

console.log(`\nSaturation, ${fmt(SATURATION_SAMPLES)} samples, fake Ollama with ${LATENCY_MS} ms latency and ${SLOTS} slots (capacity ${fmt(capacity)} requests/s), concurrency ${SLOTS}, median of ${ROUNDS} rounds`)
row("bare loop over the ollama client", median(satBare), SATURATION_SAMPLES)
row("harness", median(satHarness), SATURATION_SAMPLES)
ratio("saturation: harness requests/s / capacity", (SATURATION_SAMPLES * 1000) / median(satHarness) / capacity, ">=0.9")
ratio("saturation: bare loop requests/s / capacity", (SATURATION_SAMPLES * 1000) / median(satBare) / capacity, ">=0.9")

console.log(`\nMemory, ${fmt(MEMORY_SAMPLES)} generated samples (a ${fmt(memory.datasetMb, 0)} MB file), baseline:first, concurrency 8, each run in a child process`)
const peakLine = (label: string, mb: number, seconds: number) =>
  console.log(`  PEAK resident set, ${label.padEnd(68)}${fmt(mb, 0).padStart(5)} MB in ${fmt(seconds, 1)} s (target < 300 MB: ${mb < 300 ? "met" : "MISSED"})`)
peakLine("the command from its sources (npx clinical-evals case-challenge)", commandFromSources.maxRssMb, commandFromSources.seconds)
peakLine("the command built (npm run build in apps/cli, one JavaScript file)", commandBuilt.maxRssMb, commandBuilt.seconds)
peakLine("the harness alone (Runner.run, from its sources)", memory.maxRssMb, memory.seconds)
console.log(`  the harness alone: resident set with the code loaded, before the run ${fmt(memory.rssAtStartMb, 0)} MB; live heap ${fmt(memory.liveHeapAtStartMb, 0)} MB before the run, ${memory.liveHeapDuringRunMb > 0 ? `at most ${fmt(memory.liveHeapDuringRunMb, 0)} MB after V8's own full collections during it` : "no full collection by V8 during it"}, ${fmt(memory.liveHeapAtEndMb, 0)} MB after it with its ${fmt(memory.records)} compact records held`)
rmSync(root, { recursive: true, force: true })
console.log(`\ndone in ${fmt((performance.now() - started) / 1000, 1)} s`)
