import * as FileSystem from "@effect/platform/FileSystem"
import { createHash } from "node:crypto"
import * as Clock from "effect/Clock"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as Option from "effect/Option"
import * as Queue from "effect/Queue"
import * as Stream from "effect/Stream"
import * as ConcurrencyLimiter from "./ConcurrencyLimiter.js"
import { DatasetError, TaskError, UsageError } from "./EvalError.js"
import * as FewShot from "./FewShot.js"
import type { Generation } from "./Generation.js"
import { type GenerationOptions, isDeterministic } from "./GenerationOptions.js"
import { type LanguageModelShape, type ModelInfo, ModelResolver } from "./LanguageModel.js"
import { isFatal, isModelError, type ModelError } from "./ModelError.js"
import { Progress } from "./Progress.js"
import * as ResponseCache from "./ResponseCache.js"
import * as RunFolder from "./RunFolder.js"
import type { RunManifest, RunSettings } from "./RunManifest.js"
import * as RunStore from "./RunStore.js"
import * as Shard from "./Shard.js"
import { compactRecord } from "./internal/storedRecord.js"
import * as WriteBehind from "./internal/writeBehind.js"
import { SampleRecord } from "./SampleRecord.js"
import { summarize } from "./Summarize.js"
import type { Summary } from "./Summary.js"
import { type AnyTask, type LoadOptions, type OnBadInput, type Prompt, type SkippedRecord, type TaskSample, toPrompt } from "./Task.js"

/**
 * Everything a run needs. The CLI builds it from flags; code that composes its own pipeline builds it
 * directly.
 *
 * @since 0.1.0
 */
export interface RunConfig {
  readonly task: AnyTask
  /** The evaluator's name, as in run.json (`case-challenge`). */
  readonly evaluator: string
  /** Dataset file; the task's bundled sample when null. */
  readonly dataset: string | null
  /** Model specs, evaluated one after the other (`baseline:overlap`, `ollama:llama3:8b`). */
  readonly models: ReadonlyArray<string>
  /** The run folder: results, samples.jsonl, summary.json, run.json. */
  readonly out: string
  /** Evaluate only the first N samples of the dataset. */
  readonly limit: number | null
  /** Model calls in flight at once. */
  readonly concurrency: number
  readonly seed: number
  /** Few-shot examples per prompt, drawn with the seed from `shotsFile` (else the task's bundled pool). */
  readonly shots: number
  readonly shotsFile: string | null
  readonly temperature: number
  readonly maxTokens: number
  readonly numCtx: number | null
  readonly keepAlive: string | null
  readonly onBadInput: OnBadInput
  /** Whether the response cache may serve and store answers (it must be provided either way). */
  readonly useCache: boolean
  /** Run only this share of the samples (`--shard i/n`), recorded in the settings; all of them when absent or null. */
  readonly shard?: Shard.Shard | null
  /** For run.json: the command line, the options as given, the tool's version and commit. */
  readonly command: ReadonlyArray<string>
  readonly options: Record<string, unknown>
  readonly tool: { readonly name: string; readonly version: string; readonly gitCommit: string | null }
}

/**
 * A RunConfig from what only the caller can say (the task, the models, the run folder), with the CLI's
 * defaults for the rest (the bundled dataset, greedy decoding, seed 1234, zero-shot, 512 tokens, 4 calls
 * in flight, the response cache on) and any of them overridden.
 *
 * @since 0.1.0
 */
export const makeConfig = (
  required: Pick<RunConfig, "task" | "models" | "out">,
  overrides: Partial<RunConfig> = {}
): RunConfig => ({
  evaluator: required.task.name,
  dataset: null,
  limit: null,
  concurrency: 4,
  seed: 1234,
  shots: 0,
  shotsFile: null,
  temperature: 0,
  maxTokens: 512,
  numCtx: null,
  keepAlive: null,
  onBadInput: "fail",
  useCache: true,
  command: [],
  options: {},
  tool: { name: "clinical-evals", version: "library", gitCommit: null },
  ...required,
  ...overrides
})

/**
 * What a run produced. `failed` counts samples that still failed after retries (their records carry the
 * error); `interrupted` is true when the run was stopped before it finished.
 *
 * @since 0.1.0
 */
export interface RunResult {
  readonly manifest: RunManifest
  readonly summary: Summary
  /**
   * Every stored record without its prompt (`messages` is empty: the prompts are in samples.jsonl), so
   * that a run of any size fits in memory.
   */
  readonly records: ReadonlyArray<SampleRecord>
  readonly failed: number
}

const isoNow = Clock.currentTimeMillis.pipe(Effect.map((ms) => new Date(ms).toISOString()))

/** The file's sha256, read a chunk at a time: a dataset of any size is never held whole. */
const fileSha256 = (path: string) =>
  Effect.gen(function* () {
    const fs = yield* FileSystem.FileSystem
    const hash = createHash("sha256")
    yield* fs.stream(path).pipe(
      Stream.runForEach((chunk) => Effect.sync(() => hash.update(chunk))),
      Effect.mapError(() => new DatasetError({ file: path, line: null, field: null, message: "file not found" }))
    )
    return hash.digest("hex")
  })

/**
 * Records are built without the class's validation (the second constructor argument): the store encodes
 * every record with its schema before writing it, which checks every field once.
 */
const VALIDATED_ON_WRITE = true

/** Samples whose prompts are built, and answers looked up in the response cache, together. */
const PREPARE_BATCH = 32

/** A sample ready to run: its prompt (or the TaskError building it gave), options, cache key and cached answer. */
interface Prepared {
  readonly sample: TaskSample
  readonly index: number
  readonly prompt: Prompt | TaskError
  readonly callOptions: GenerationOptions
  readonly cacheKey: string | null
  readonly hit: Option.Option<Generation>
}

const errorText = (e: unknown): string =>
  e instanceof Error ? e.message : typeof e === "object" && e !== null && "message" in e ? String(e.message) : String(e)

/** Ends a pass over the dataset early, once `--limit` samples were handed over. */
class LimitReached {
  readonly _tag = "LimitReached"
}

/**
 * The evaluated samples of a dataset (those within `--limit`): their ids in dataset order, and a way
 * to go over them again. A task that streams its files (`Task.scan`) is read twice, a record at a time:
 * once here, to check every record before anything runs (a bad record stops the run with file, line and
 * field before a run folder exists) and to learn the ids, then once per model to evaluate; nothing but
 * the ids is held. A task without `scan` is loaded whole, once.
 */
interface Plan {
  readonly format: string
  readonly skipped: ReadonlyArray<SkippedRecord>
  readonly ids: ReadonlyArray<string>
  readonly each: <E>(
    f: (sample: TaskSample, position: number) => Effect.Effect<void, E>
  ) => Effect.Effect<void, E | DatasetError, FileSystem.FileSystem>
}

const openPlan = (task: AnyTask, path: string, options: LoadOptions, limit: number | null) =>
  Effect.gen(function* () {
    const max = limit === null ? Number.POSITIVE_INFINITY : Math.max(0, limit)
    const scan = task.scan
    if (scan === undefined) {
      const dataset = yield* task.load(path, options)
      const samples: ReadonlyArray<TaskSample> = limit === null ? dataset.samples : dataset.samples.slice(0, max)
      const plan: Plan = {
        format: dataset.format,
        skipped: dataset.skipped,
        ids: samples.map((s) => s.id),
        each: (f) => Effect.forEach(samples, (s, i) => f(s, i), { discard: true })
      }
      return plan
    }
    const ids: Array<string> = []
    const first = yield* scan(path, options, (sample: TaskSample, position: number) =>
      Effect.sync(() => {
        if (position < max) ids.push(sample.id)
      })
    )
    const plan: Plan = {
      format: first.format,
      skipped: first.skipped,
      ids,
      each: <E>(f: (sample: TaskSample, position: number) => Effect.Effect<void, E>) =>
        scan<E | LimitReached>(path, { ...options, onBadInput: "skip" }, (sample: TaskSample, position: number) =>
          position < max ? f(sample, position) : Effect.fail(new LimitReached())
        ).pipe(
          Effect.catchIf((e): e is LimitReached => e instanceof LimitReached, () => Effect.void),
          Effect.asVoid
        ) as Effect.Effect<void, E | DatasetError, FileSystem.FileSystem>
    }
    return plan
  })

/**
 * Reads the dataset's plan and the few-shot pool, applying `--limit` and `--shard`. Fails with a
 * DatasetError naming file, line and field when a record is bad (unless `onBadInput` is `skip`).
 */
const loadInputs = (config: RunConfig) =>
  Effect.gen(function* () {
    const task = config.task
    const datasetPath = config.dataset ?? task.defaultDataset
    const plan = yield* openPlan(task, datasetPath, { onBadInput: config.onBadInput }, config.limit)
    if (plan.ids.length === 0) {
      return yield* new DatasetError({ file: datasetPath, line: null, field: null, message: "no samples to evaluate" })
    }
    let pool: ReadonlyArray<TaskSample> = []
    let shotsPath: string | null = null
    if (config.shots > 0) {
      shotsPath = config.shotsFile ?? task.defaultShotsFile
      if (shotsPath === null) {
        return yield* new UsageError({ message: `--shots ${config.shots} needs --shots-file: ${task.name} bundles no examples` })
      }
      pool = (yield* task.load(shotsPath, { onBadInput: "fail" })).samples
      const evaluated = new Set(plan.ids)
      const usable = pool.filter((s) => !evaluated.has(s.id))
      if (usable.length < config.shots) {
        return yield* new UsageError({
          message: `--shots ${config.shots} asks for more examples than ${shotsPath} has apart from the evaluated samples (${usable.length})`
        })
      }
      pool = usable
    }
    // A shard keeps its share, each sample with its position in the whole dataset; the pool above excluded
    // every evaluated sample, so that shards build the very prompts of a single run.
    const shard = config.shard ?? null
    const own = shard === null ? plan.ids : plan.ids.filter((id) => Shard.owns(shard, id))
    const owns = (id: string) => shard === null || Shard.owns(shard, id)
    return { datasetPath, plan, own, owns, pool, shotsPath }
  })

/**
 * Resolves every model and looks it up (digest, host) before any sample is run, so that a model that is
 * not pulled, or a host that cannot be reached, stops the run at once with a clear error.
 */
const resolveModels = (specs: ReadonlyArray<string>) =>
  Effect.gen(function* () {
    const resolver = yield* ModelResolver
    const unique = [...new Set(specs)]
    return yield* Effect.forEach(unique, (spec) =>
      Effect.gen(function* () {
        const model = yield* resolver.resolve(spec)
        const info = yield* model.info
        return { model, info }
      })
    )
  })

/**
 * Runs a task over a dataset for every model: load, build prompts, generate with bounded concurrency
 * (through the response cache), parse, score, store each result as it completes, and aggregate. Samples
 * already finished in the run folder are not computed again; samples that failed are tried again. The
 * exported files (samples.jsonl, summary.json, run.json) are written at the end, and also when the run
 * fails or is interrupted, so nothing finished is lost.
 *
 * @since 0.1.0
 */
export const run = Effect.fn("Runner.run")(function* (config: RunConfig) {
  const task = config.task
  const progress = yield* Progress
  const cache = yield* ResponseCache.ResponseCache
  const startedAt = yield* isoNow

  const { datasetPath, plan, own, owns, pool, shotsPath } = yield* loadInputs(config)
  for (const s of plan.skipped) yield* progress.log(`skipped bad record: ${s.error.pretty}`)

  const settings: RunSettings = {
    task: task.name,
    datasetSha256: yield* fileSha256(datasetPath),
    shots: config.shots,
    shotsFileSha256: shotsPath === null ? null : yield* fileSha256(shotsPath),
    seed: config.seed,
    temperature: config.temperature,
    maxTokens: config.maxTokens,
    numCtx: config.numCtx,
    ...(config.shard ? { shard: config.shard } : {})
  }
  // Models are checked before the run folder is made: a model that is not there, or a host that cannot
  // be reached, leaves nothing behind.
  const models = yield* resolveModels(config.models)
  const store = yield* RunStore.make(config.out)
  yield* store.claim(settings)
  for (const { info } of models) yield* store.addModel(info)

  // Results are written in groups (one statement per 256 samples or 20 ms, and before every export),
  // not one transaction each: a SIGKILL loses at most the last 20 ms of results, computed again next time.
  const writer = yield* WriteBehind.make(store.putMany, { maxItems: 256, maxDelay: "20 millis" })
  // Plain counters: every update is synchronous, so no two fibers interleave inside one.
  const counters: { computed: number; cached: number; resumed: number } = { computed: 0, cached: 0, resumed: 0 }
  const options: GenerationOptions = {
    temperature: config.temperature,
    seed: config.seed,
    maxTokens: config.maxTokens,
    ...(config.numCtx === null ? {} : { numCtx: config.numCtx }),
    ...(config.keepAlive === null ? {} : { keepAlive: config.keepAlive })
  }
  const useCache = config.useCache && isDeterministic(options)

  /** run.json as of now: the dataset, the models, the settings, and the counts given. */
  const manifestOf = (interrupted: boolean, running: boolean, tally: { readonly ok: number; readonly error: number }) =>
    Effect.gen(function* () {
      const infos = yield* store.models
      const manifest: RunManifest = {
        tool: config.tool,
        command: config.command,
        evaluator: config.evaluator,
        dataset: {
          path: datasetPath,
          sha256: settings.datasetSha256,
          format: plan.format,
          samples: own.length,
          skipped: plan.skipped.length
        },
        models: infos.map((i) => ({ spec: i.spec, provider: i.provider, model: i.model, digest: i.digest, host: i.host })),
        settings,
        options: config.options,
        startedAt,
        endedAt: running ? null : yield* isoNow,
        counts: { samples: own.length, planned: own.length * models.length, ok: tally.ok, error: tally.error, ...counters },
        interrupted
      }
      return { manifest, infos }
    })

  /**
   * Writes the exported files from everything the store holds, in one pass over it a page at a time:
   * each row becomes a line of samples.jsonl as stored, and is kept without its prompt (the largest
   * part) for the aggregates, so that memory grows with the run's results, not its prompts.
   */
  const exportFolder = (interrupted: boolean) =>
    Effect.gen(function* () {
      yield* writer.flush
      const inPlan = new Set(own)
      const records: Array<SampleRecord> = []
      let ok = 0
      let planCovered = 0
      yield* RunFolder.writeSamplesStreamed(config.out, (line) =>
        store.scan((row) => {
          records.push(compactRecord(row.compactJson))
          if (row.status === "ok") ok++
          if (inPlan.has(row.id)) planCovered++
          return line(row.json)
        })
      )
      const failed = records.length - ok
      const complete = !interrupted && planCovered >= own.length * models.length
      const { manifest, infos } = yield* manifestOf(interrupted, false, { ok, error: failed })
      const summary = yield* summarize({ task, evaluator: config.evaluator, dataset: datasetPath, models: infos, records, complete })
      yield* RunFolder.writeSummary(config.out, summary)
      yield* RunFolder.writeManifest(config.out, manifest)
      return { manifest, summary, records, failed }
    })

  /** A sample's prompt (or why it could not be built) and its cache key, before the cache is asked. */
  const prepare = (model: LanguageModelShape, info: ModelInfo, sample: TaskSample, index: number) =>
    task.prompt(sample, { shots: FewShot.select(pool, config.shots, config.seed, sample.id) }).pipe(
      Effect.map((given): Prepared => {
        const prompt = toPrompt(given)
        const callOptions: GenerationOptions = prompt.options ? { ...options, ...prompt.options } : options
        const cacheKey = useCache && model.cacheable
          ? ResponseCache.key({ provider: model.provider, model: model.model, digest: info.digest, messages: prompt.messages, options: callOptions })
          : null
        return { sample, index, prompt, callOptions, cacheKey, hit: Option.none() }
      }),
      Effect.catchTag("TaskError", (error) =>
        Effect.succeed<Prepared>({ sample, index, prompt: error, callOptions: options, cacheKey: null, hit: Option.none() })
      )
    )

  const evaluateSample = (model: LanguageModelShape, info: ModelInfo, prepared: Prepared) =>
    Effect.gen(function* () {
      if (prepared.prompt instanceof TaskError) return yield* prepared.prompt
      const { sample, index, prompt, callOptions, cacheKey, hit } = prepared
      const messages = prompt.messages
      const outcome = Option.isSome(hit)
        ? Exit.succeed(hit.value)
        : yield* Effect.exit(limiter.withPermit(model.generate(messages, callOptions)))
      const base = {
        id: sample.id,
        index,
        model: model.spec,
        modelDigest: info.digest,
        reference: task.reference(sample),
        groups: task.groups(sample),
        messages: [...messages],
        cached: Option.isSome(hit),
        details: prompt.details ?? {}
      }
      if (Exit.isFailure(outcome)) {
        const failure = outcome.cause._tag === "Fail" ? outcome.cause.error : undefined
        if (failure !== undefined && isModelError(failure) && isFatal(failure)) return yield* Effect.fail(failure)
        counters.computed++
        return new SampleRecord({
          ...base,
          status: "error",
          parse_status: null,
          prediction: null,
          scores: {},
          explanation: null,
          raw: null,
          thinking: null,
          finishReason: null,
          truncated: false,
          error: failure === undefined ? String(outcome.cause) : errorText(failure),
          errorType: failure !== undefined && isModelError(failure) ? failure._tag : "Defect",
          latencyMs: null,
          promptTokens: null,
          completionTokens: null
        }, VALIDATED_ON_WRITE)
      }
      const generation = outcome.value
      if (cacheKey !== null && Option.isNone(hit)) yield* cache.put(cacheKey, model.spec, generation)
      if (Option.isSome(hit)) counters.cached++
      else counters.computed++
      const parsed = yield* task.parse(sample, generation)
      const scores = yield* task.score(sample, parsed)
      const scoreDetails = Object.fromEntries(
        Object.entries(scores).flatMap(([name, score]) => (score.details === undefined ? [] : [[name, score.details]]))
      )
      return new SampleRecord({
        ...base,
        details: { ...base.details, ...scoreDetails },
        status: "ok",
        parse_status: parsed.status,
        prediction: parsed.answer,
        scores: Object.fromEntries(Object.entries(scores).map(([k, s]) => [k, s.value])),
        explanation: parsed.explanation,
        raw: generation.text,
        thinking: generation.thinking,
        finishReason: generation.finishReason,
        truncated: generation.truncated,
        error: null,
        errorType: null,
        latencyMs: generation.latencyMs,
        promptTokens: generation.promptTokens,
        completionTokens: generation.completionTokens,
        ...(generation.host === undefined ? {} : { host: generation.host })
      }, VALIDATED_ON_WRITE)
    }).pipe(
      Effect.catchTag("TaskError", (e) =>
        Effect.succeed(
          new SampleRecord({
            id: prepared.sample.id, index: prepared.index, model: model.spec, modelDigest: info.digest, status: "error", parse_status: null,
            prediction: null, reference: task.reference(prepared.sample), scores: {}, explanation: null, raw: null, thinking: null,
            finishReason: null, truncated: false, error: e.message, errorType: e._tag, latencyMs: null, cached: false,
            promptTokens: null, completionTokens: null, groups: task.groups(prepared.sample), messages: []
          }, VALIDATED_ON_WRITE)
        )
      ),
      Effect.tap((record) => writer.add(record)),
      Effect.tap((record) => progress.advance(record.status, record.cached))
    )

  // run.json is written first with no end time, so a run killed before it finishes is known as
  // unfinished; the other files are written when the run ends, however it ends.
  yield* RunFolder.writeManifest(config.out, (yield* manifestOf(false, true, yield* store.tally)).manifest)

  // Paces model calls: halves the calls in flight when a server answers 429 or 503, then climbs back.
  const limiter = yield* ConcurrencyLimiter.make(Math.max(1, config.concurrency))

  const workers = Math.max(1, config.concurrency)
  const work = Effect.forEach(
    models,
    ({ model, info }) =>
      Effect.gen(function* () {
        const finished = yield* store.finished(model.spec)
        const pending = own.reduce((n, id) => (finished.has(id) ? n : n + 1), 0)
        const resumed = own.length - pending
        counters.resumed += resumed
        yield* progress.start(`${task.name} ${model.spec}`, own.length, resumed)
        if (pending > 0) {
          // The dataset is read in order into a short queue that `workers` fibers take samples from, so
          // that only the samples in flight are held, whatever the dataset's size.
          const queue = yield* Queue.bounded<Prepared | null>(2 * workers)
          // Samples are prepared a batch at a time, and the cache is asked once per batch, not per sample.
          let batch: Array<readonly [TaskSample, number]> = []
          const sendBatch = Effect.suspend(() => {
            const items = batch
            batch = []
            return Effect.forEach(items, ([sample, position]) => prepare(model, info, sample, position)).pipe(
              Effect.flatMap((prepared) => {
                const keys = prepared.flatMap((p) => (p.cacheKey === null ? [] : [p.cacheKey]))
                return (keys.length === 0 ? Effect.succeed(new Map<string, Generation>()) : cache.getMany(keys)).pipe(
                  Effect.flatMap((hits) =>
                    Effect.forEach(
                      prepared,
                      (p) => Queue.offer(queue, p.cacheKey === null ? p : { ...p, hit: Option.fromNullable(hits.get(p.cacheKey)) }),
                      { discard: true }
                    )
                  )
                )
              })
            )
          })
          const produce = plan
            .each((sample, position) => {
              if (!owns(sample.id) || finished.has(sample.id)) return Effect.void
              batch.push([sample, position])
              return batch.length >= PREPARE_BATCH ? sendBatch : Effect.void
            })
            .pipe(
              Effect.zipRight(sendBatch),
              Effect.zipRight(Queue.offerAll(queue, Array.from({ length: workers }, () => null)))
            )
          const consume = Effect.gen(function* () {
            for (;;) {
              const item = yield* Queue.take(queue)
              if (item === null) return
              yield* evaluateSample(model, info, item)
            }
          })
          yield* Effect.all([produce, ...Array.from({ length: workers }, () => consume)], { concurrency: "unbounded", discard: true })
        }
        yield* progress.finish
      }),
    { discard: true }
  )

  yield* work.pipe(
    Effect.onExit((exit) =>
      Exit.isSuccess(exit)
        ? Effect.void
        : exportFolder(Exit.isInterrupted(exit)).pipe(
            Effect.tap(() => (Exit.isInterrupted(exit) ? progress.finish : Effect.void)),
            Effect.ignoreLogged
          )
    )
  )
  return yield* exportFolder(false)
}, Effect.scoped)

/** The errors a run can end with. */
export type RunFailure = Effect.Effect.Error<ReturnType<typeof run>>
export type { ModelError }
