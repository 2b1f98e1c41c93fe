import * as FileSystem from "@effect/platform/FileSystem"
import * as Effect from "effect/Effect"
import * as Schema from "effect/Schema"
import { join } from "node:path"
import { StoreError, UsageError } from "./EvalError.js"
import { canonicalJson } from "./internal/hash.js"
import type { ModelInfo } from "./LanguageModel.js"
import * as RunFolder from "./RunFolder.js"
import { RunManifest, type RunSettings } from "./RunManifest.js"
import * as RunStore from "./RunStore.js"
import type { SampleRecord } from "./SampleRecord.js"
import * as Shard from "./Shard.js"
import { summarize } from "./Summarize.js"
import type { Summary } from "./Summary.js"
import type { AnyTask } from "./Task.js"

/**
 * What a merge needs: the shard folders (`--shard i/n` runs of one command, one per `i`), where to write
 * the merged folder, the task (by the name run.json records; the caller knows the tasks), and the merge
 * command line for run.json.
 *
 * @since 0.2.0
 */
export interface MergeOptions {
  readonly folders: ReadonlyArray<string>
  readonly out: string
  readonly task: (name: string) => Effect.Effect<AnyTask, UsageError>
  readonly command: ReadonlyArray<string>
}

/**
 * What a merge produced: the merged manifest, summary and records, the samples still failed, and the
 * shards that had not finished (interrupted, or samples missing).
 *
 * @since 0.2.0
 */
export interface MergeResult {
  readonly manifest: RunManifest
  readonly summary: Summary
  readonly records: ReadonlyArray<SampleRecord>
  readonly failed: number
  readonly unfinished: ReadonlyArray<string>
}

interface Part {
  readonly dir: string
  readonly manifest: RunManifest
  readonly shard: Shard.Shard
  readonly models: ReadonlyArray<ModelInfo>
  readonly records: ReadonlyArray<SampleRecord>
}

const ManifestJson = Schema.parseJson(RunManifest)
const usage = (message: string) => new UsageError({ message })

const withoutShard = (settings: RunSettings): RunSettings => {
  const { shard: _shard, ...rest } = settings
  return rest
}

const differences = (a: RunSettings, b: RunSettings): string =>
  [...new Set([...Object.keys(a), ...Object.keys(b)])]
    .filter((k) => canonicalJson(a[k as keyof RunSettings]) !== canonicalJson(b[k as keyof RunSettings]))
    .map((k) => `${k} ${JSON.stringify(a[k as keyof RunSettings])} vs ${JSON.stringify(b[k as keyof RunSettings])}`)
    .join("; ")

/** `--shard` and its value taken out of a command line (`--shard 2/3` or `--shard=2/3`). */
const dropShardFlag = (command: ReadonlyArray<string>): ReadonlyArray<string> =>
  command.filter((arg, i) => !(arg === "--shard" || arg.startsWith("--shard=") || (i > 0 && command[i - 1] === "--shard")))

/** Reads one shard folder: run.json, and from results.sqlite the models and every record. */
const readPart = (dir: string) =>
  Effect.gen(function* () {
    const fs = yield* FileSystem.FileSystem
    const manifestFile = join(dir, RunFolder.FILES.manifest)
    const database = join(dir, RunStore.DATABASE)
    const present = yield* Effect.all([fs.exists(manifestFile), fs.exists(database)]).pipe(Effect.orElseSucceed(() => [false, false]))
    if (!present[0] || !present[1]) return yield* usage(`${dir} is not a run folder (it needs run.json and ${RunStore.DATABASE})`)
    const text = yield* fs.readFileString(manifestFile).pipe(Effect.mapError((e) => new StoreError({ file: manifestFile, message: e.message })))
    const manifest = yield* Schema.decode(ManifestJson)(text).pipe(
      Effect.mapError((e) => new StoreError({ file: manifestFile, message: `not a readable run.json: ${e.message}` }))
    )
    const shard = manifest.settings.shard
    if (shard === undefined) return yield* usage(`${dir} is not a shard: it was run without --shard i/n`)
    const store = yield* RunStore.make(dir)
    const models = yield* store.models
    const records = yield* store.records
    return { dir, manifest, shard, models, records } satisfies Part
  })

/** Refuses shards that do not make one run: other settings, other models, a shard twice or missing. */
const check = (parts: ReadonlyArray<Part>) =>
  Effect.gen(function* () {
    const first = parts[0]!
    const count = first.shard.count
    for (const p of parts) {
      if (p.shard.count !== count) {
        return yield* usage(`${first.dir} is shard ${Shard.label(first.shard)} but ${p.dir} is shard ${Shard.label(p.shard)}: the shards of one run share their n`)
      }
      if (p.manifest.evaluator !== first.manifest.evaluator) {
        return yield* usage(`${first.dir} is a ${first.manifest.evaluator} run but ${p.dir} is a ${p.manifest.evaluator} run`)
      }
      const diff = differences(withoutShard(first.manifest.settings), withoutShard(p.manifest.settings))
      if (diff !== "") return yield* usage(`${first.dir} and ${p.dir} were run with different settings (${diff}): they cannot be merged`)
      const specs = (ms: ReadonlyArray<ModelInfo>) => ms.map((m) => m.spec).join(", ")
      if (specs(first.models) !== specs(p.models)) {
        return yield* usage(`${first.dir} evaluated ${specs(first.models)} but ${p.dir} evaluated ${specs(p.models)}: the same models are needed`)
      }
      for (const [i, m] of p.models.entries()) {
        const theirs = first.models[i]!
        if (m.digest !== theirs.digest) {
          return yield* usage(
            `${m.spec} is another version in ${p.dir} (digest ${m.digest ?? "none"}) than in ${first.dir} (digest ${theirs.digest ?? "none"}): mixing versions would corrupt the study`
          )
        }
      }
    }
    const seen = new Map<number, string>()
    for (const p of parts) {
      const other = seen.get(p.shard.index)
      if (other !== undefined) return yield* usage(`shard ${Shard.label(p.shard)} is given twice: ${other} and ${p.dir}`)
      seen.set(p.shard.index, p.dir)
    }
    const missing = Array.from({ length: count }, (_, i) => i + 1).filter((i) => !seen.has(i))
    if (missing.length > 0) {
      return yield* usage(
        `shard${missing.length === 1 ? "" : "s"} ${missing.map((i) => `${i}/${count}`).join(", ")} ${missing.length === 1 ? "is" : "are"} missing: ` +
          `run it with --shard and the same command, then merge all ${count}`
      )
    }
    const owner = new Map<string, string>()
    for (const p of parts) {
      for (const r of p.records) {
        if (!Shard.owns(p.shard, r.id)) {
          return yield* usage(`${p.dir} holds sample ${r.id}, which belongs to shard ${Shard.of(r.id, count)}/${count}, not ${Shard.label(p.shard)}`)
        }
        const key = `${r.model}\u0000${r.id}`
        const before = owner.get(key)
        if (before !== undefined) return yield* usage(`sample ${r.id} of ${r.model} is in both ${before} and ${p.dir}`)
        owner.set(key, p.dir)
      }
    }
  })

const unfinished = (p: Part) =>
  p.manifest.endedAt === null ||
  p.manifest.interrupted ||
  p.models.some((m) => p.records.filter((r) => r.model === m.spec).length < p.manifest.counts.samples)

/**
 * Merges the shard folders of one run (`--shard 1/n` … `--shard n/n`, on any machines) into one run
 * folder: results.sqlite, samples.jsonl, summary.json (the task's aggregate over every record, so that it
 * equals the summary of the same run on one machine) and run.json (settings without the shard, counts
 * summed, the earliest start and latest end, and in `options.mergedFrom` each shard's folder, hosts and
 * times). Refuses shards with different settings, models or model versions, a shard given twice or
 * missing, or a folder that is not a shard, saying which. The merged folder can be resumed like any run
 * (by the shards' command without `--shard`), which retries its failed samples.
 *
 * @since 0.2.0
 */
export const merge = Effect.fn("RunMerge.merge")(function* (options: MergeOptions) {
  if (options.folders.length === 0) return yield* usage("name the shard folders to merge")
  const fs = yield* FileSystem.FileSystem
  const taken = yield* Effect.all([
    fs.exists(join(options.out, RunFolder.FILES.manifest)),
    fs.exists(join(options.out, RunStore.DATABASE))
  ]).pipe(Effect.orElseSucceed(() => [false, false]))
  if (taken[0] || taken[1]) return yield* usage(`${options.out} already holds a run: choose another --out`)
  const parts = yield* Effect.forEach(options.folders, readPart)
  yield* check(parts)
  const first = parts[0]!
  const task = yield* options.task(first.manifest.settings.task)

  const order = new Map(first.models.map((m, i) => [m.spec, i]))
  const records = parts
    .flatMap((p) => p.records)
    .sort((a, b) => (order.get(a.model) ?? 1e9) - (order.get(b.model) ?? 1e9) || a.index - b.index || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
  const models: ReadonlyArray<ModelInfo> = first.models.map((m) => {
    const hosts = [...new Set(parts.flatMap((p) => p.models.find((x) => x.spec === m.spec)?.host?.split(",") ?? []))]
    return { ...m, host: hosts.length === 0 ? null : hosts.join(",") }
  })
  const settings = withoutShard(first.manifest.settings)

  const store = yield* RunStore.make(options.out)
  yield* store.claim(settings)
  for (const m of models) yield* store.addModel(m)
  for (const r of records) yield* store.put(r)

  const open = parts.filter(unfinished).map((p) => p.dir)
  const summary = yield* summarize({
    task,
    evaluator: first.manifest.evaluator,
    dataset: first.manifest.dataset.path,
    models,
    records,
    complete: open.length === 0
  })
  const ok = records.filter((r) => r.status === "ok").length
  const sum = (f: (m: RunManifest) => number) => parts.reduce((n, p) => n + f(p.manifest), 0)
  const ends = parts.map((p) => p.manifest.endedAt)
  const options_ = Object.fromEntries(Object.entries(first.manifest.options).filter(([k]) => k !== "shard"))
  const manifest: RunManifest = {
    tool: first.manifest.tool,
    command: dropShardFlag(first.manifest.command).filter((arg, i, all) => arg !== "--out" && all[i - 1] !== "--out"),
    evaluator: first.manifest.evaluator,
    dataset: { ...first.manifest.dataset, samples: sum((m) => m.dataset.samples) },
    models: models.map((i) => ({ spec: i.spec, provider: i.provider, model: i.model, digest: i.digest, host: i.host })),
    settings,
    options: {
      ...options_,
      mergeCommand: options.command,
      mergedFrom: [...parts]
        .sort((a, b) => a.shard.index - b.shard.index)
        .map((p) => ({
          folder: p.dir,
          shard: Shard.label(p.shard),
          samples: p.manifest.dataset.samples,
          hosts: p.manifest.models.map((m) => m.host),
          startedAt: p.manifest.startedAt,
          endedAt: p.manifest.endedAt
        }))
    },
    startedAt: parts.map((p) => p.manifest.startedAt).sort()[0]!,
    endedAt: ends.some((e) => e === null) ? null : (ends as Array<string>).sort().at(-1)!,
    counts: {
      samples: sum((m) => m.counts.samples),
      planned: sum((m) => m.counts.planned),
      ok,
      error: records.length - ok,
      computed: sum((m) => m.counts.computed),
      resumed: sum((m) => m.counts.resumed),
      cached: sum((m) => m.counts.cached)
    },
    interrupted: parts.some((p) => p.manifest.interrupted)
  }
  yield* RunFolder.write(options.out, { manifest, summary, records })
  return { manifest, summary, records, failed: records.length - ok, unfinished: open } satisfies MergeResult
}, Effect.scoped)
