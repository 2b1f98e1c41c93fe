import { Command, type Options } from "@effect/cli"
import * as FileSystem from "@effect/platform/FileSystem"
import { EvalError, type ModelError, Progress, ResponseCache, RunFolder, Runner, Shard, type Task } from "@clinical-evals/core"
import { ModelResolver, Resilience } from "@clinical-evals/models"
import { Markdown, SummaryTable } from "@clinical-evals/reporting"
import * as Console from "effect/Console"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import { join } from "node:path"
import * as CommonOptions from "./CommonOptions.js"
import { type CommonFlags, DEFAULT_MODEL } from "./CommonOptions.js"
import * as RunFolderChoice from "./RunFolderChoice.js"
import { gitCommit } from "./ToolInfo.js"

/**
 * What an evaluator is: a name, a description, its task, and optionally flags of its own (whose values
 * build the task, e.g. `--stem` or `--task longhealth`) and defaults of the common flags that differ.
 */
export interface EvaluatorSpec<Extra = {}> {
  readonly name: string
  readonly description: string
  readonly tool: { readonly name: string; readonly version: string }
  readonly defaults?: Partial<CommonOptions.Defaults>
  readonly options?: { readonly [K in keyof Extra]: Options.Options<Extra[K]> }
  /** The task, or how to build it from this evaluator's own flags and the common ones. */
  readonly task:
    | Task.AnyTask
    | ((extra: Extra, common: CommonFlags) => Effect.Effect<Task.AnyTask, EvalError.UsageError | ModelError.ModelError>)
}

/**
 * The first retry's delay from `CLINICAL_EVALS_RETRY_BASE_MS` (milliseconds; for tests and impatient
 * users), else the default (1 s).
 */
const retryBaseDelay = (): { readonly retryBaseDelayMs?: number } => {
  const raw = process.env["CLINICAL_EVALS_RETRY_BASE_MS"]
  const ms = raw === undefined || raw.trim() === "" ? Number.NaN : Number(raw)
  return Number.isFinite(ms) && ms >= 0 ? { retryBaseDelayMs: ms } : {}
}

const usage = (message: string) => new EvalError.UsageError({ message })

/** Checks the numeric flags, which @effect/cli reads as numbers but not within bounds. */
const validate = (flags: CommonFlags) =>
  Effect.gen(function* () {
    if (flags.concurrency < 1) return yield* usage("--concurrency must be at least 1")
    if (Option.isSome(flags.limit) && flags.limit.value < 1) return yield* usage("--limit must be at least 1")
    if (Option.isSome(flags.shots) && flags.shots.value < 0) return yield* usage("--shots cannot be negative")
    if (flags.maxTokens < 1) return yield* usage("--max-tokens must be at least 1")
    if (!(flags.timeout > 0)) return yield* usage("--timeout must be a positive number of seconds")
    if (!(flags.firstCallTimeout > 0)) return yield* usage("--first-call-timeout must be a positive number of seconds")
    if (flags.retries < 0) return yield* usage("--retries cannot be negative")
    if (flags.temperature < 0) return yield* usage("--temperature cannot be negative")
    if (Option.isSome(flags.numCtx) && flags.numCtx.value < 1) return yield* usage("--num-ctx must be at least 1")
    if (Option.isSome(flags.perHostConcurrency) && flags.perHostConcurrency.value < 1) {
      return yield* usage("--per-host-concurrency must be at least 1")
    }
  })

/**
 * The command line as a user would type it again: the evaluator's name and the arguments after it.
 * Stored in run.json, and used to find an unfinished run of the same command.
 */
export const commandLine = (evaluator: string, argv: ReadonlyArray<string>): ReadonlyArray<string> => {
  const args = argv.slice(2)
  const at = args.indexOf(evaluator)
  return at >= 0 ? args.slice(at) : [evaluator, ...args]
}

const shellQuote = (arg: string) => (/^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`)

/**
 * The evaluator's own flags as run.json records them (e.g. extract's `task`, `rag`, `retrieveK`,
 * `embedModel`): a flag not given is null, so that a run says how it was made in full.
 */
const ownFlagValues = (extra: unknown): Record<string, unknown> =>
  extra !== null && typeof extra === "object"
    ? Object.fromEntries(Object.entries(extra).map(([name, value]) => [name, Option.isOption(value) ? Option.getOrNull(value) : value]))
    : {}

/**
 * Runs one evaluator from parsed flags: picks the run folder, builds the model, cache and progress
 * layers, runs the pipeline, writes report.md, prints the summary table. Sets the exit code to 1 when
 * some samples still failed after retries.
 *
 * @since 0.1.0
 */
export const execute = Effect.fn("EvaluatorCommand.execute")(function* <Extra>(
  spec: EvaluatorSpec<Extra>,
  flags: CommonFlags,
  extra: Extra
) {
  yield* validate(flags)
  const task = typeof spec.task === "function" ? yield* spec.task(extra, flags) : spec.task
  const shard = Option.isSome(flags.shard) ? yield* Shard.parse(flags.shard.value) : null
  const command = commandLine(spec.name, process.argv)
  const chosen = Option.isSome(flags.out)
    ? { dir: flags.out.value, resumed: false }
    : yield* RunFolderChoice.choose(spec.name, command)
  if (chosen.resumed) yield* Console.error(`Resuming the unfinished run of this command in ${chosen.dir} (pass --out to choose another folder).`)
  const out = chosen.dir
  const models = flags.model.length > 0 ? flags.model : [spec.defaults?.model ?? task.defaultModel ?? DEFAULT_MODEL]
  const config: Runner.RunConfig = {
    task,
    evaluator: spec.name,
    dataset: Option.getOrNull(flags.dataset),
    models,
    out,
    limit: Option.getOrNull(flags.limit),
    concurrency: flags.concurrency,
    seed: flags.seed,
    shots: Option.getOrElse(flags.shots, () => spec.defaults?.shots ?? task.defaultShots ?? 0),
    shotsFile: Option.getOrNull(flags.shotsFile),
    temperature: flags.temperature,
    maxTokens: flags.maxTokens,
    numCtx: Option.getOrNull(flags.numCtx),
    keepAlive: Option.getOrNull(flags.keepAlive),
    onBadInput: flags.onBadInput,
    useCache: !flags.noCache,
    shard,
    command,
    options: {
      models,
      concurrency: flags.concurrency,
      limit: Option.getOrNull(flags.limit),
      timeoutSeconds: flags.timeout,
      firstCallTimeoutSeconds: flags.firstCallTimeout,
      retries: flags.retries,
      ollamaHost: Option.getOrNull(flags.ollamaHost),
      ollamaHosts: flags.ollamaHosts,
      baseUrls: flags.baseUrls,
      apiKeyEnv: Option.getOrNull(flags.apiKeyEnv),
      perHostConcurrency: Option.getOrNull(flags.perHostConcurrency),
      shard: shard === null ? null : Shard.label(shard),
      keepAlive: Option.getOrNull(flags.keepAlive),
      cache: flags.noCache ? null : Option.getOrElse(flags.cache, () => ResponseCache.defaultFile()),
      onBadInput: flags.onBadInput,
      ...ownFlagValues(extra)
    },
    tool: { ...spec.tool, gitCommit: gitCommit() }
  }
  const resolver = ModelResolver.layer(
    {
      ollamaHosts: flags.ollamaHosts,
      baseUrls: flags.baseUrls,
      ...(Option.isSome(flags.apiKeyEnv) ? { apiKeyEnv: flags.apiKeyEnv.value } : {}),
      ...(Option.isSome(flags.perHostConcurrency) ? { perHostConcurrency: flags.perHostConcurrency.value } : {}),
      timeoutSeconds: flags.timeout,
      retries: flags.retries,
      ...retryBaseDelay()
    },
    task.baselines ?? {}
  )
  const cache = flags.noCache
    ? ResponseCache.layerDisabled
    : ResponseCache.layer(Option.getOrElse(flags.cache, () => ResponseCache.defaultFile()))
  const resume = ["npx", "clinical-evals", ...command, ...(Option.isSome(flags.out) ? [] : ["--out", out])]
    .map(shellQuote)
    .join(" ")

  const result = yield* Runner.run(config).pipe(
    Effect.locally(Resilience.FirstCallTimeout, flags.firstCallTimeout),
    Effect.provide(Layer.mergeAll(resolver, cache, Progress.layer)),
    Effect.onInterrupt(() =>
      Console.error(`\nInterrupted. Finished samples are saved in ${out}; to resume, run:\n  ${resume}`)
    )
  )
  const fs = yield* FileSystem.FileSystem
  yield* fs
    .writeFileString(join(out, RunFolder.FILES.report), Markdown.render(result.manifest, result.summary, result.records))
    .pipe(Effect.mapError((e) => new EvalError.StoreError({ file: join(out, RunFolder.FILES.report), message: e.message })))
  yield* Console.log(SummaryTable.render(result.summary))
  yield* Console.log(`\nResults: ${out}/ (report.md, summary.json, samples.jsonl, run.json)`)
  if (result.failed > 0) {
    yield* Console.error(
      `${result.failed} sample${result.failed === 1 ? "" : "s"} failed after retries (errors in samples.jsonl). ` +
        `Run the same command again to retry only those:\n  ${resume}`
    )
    process.exitCode = 1
  }
})

/**
 * An evaluator's command: the common flags, and the pipeline run with its task.
 *
 * @since 0.1.0
 */
export const make = <Extra = {}>(spec: EvaluatorSpec<Extra>) => {
  const common = CommonOptions.make({ ...CommonOptions.defaults, ...spec.defaults })
  const own = (spec.options ?? {}) as { readonly [K in keyof Extra]: Options.Options<Extra[K]> }
  return Command.make(spec.name, { common, own }, ({ common, own }) =>
    execute(spec, { ...common, ollamaHost: Option.fromNullable(common.ollamaHosts[0]) } as CommonFlags, own as Extra)
  ).pipe(Command.withDescription(spec.description))
}

/** The type of an evaluator's command, for apps to name it in their own declarations. */
export type EvaluatorCommand = ReturnType<typeof make>
