import { Command, Options } from "@effect/cli"
import { EvalError, type ModelError, Progress, ResponseCache } from "@clinical-evals/core"
import { EvaluatorCommand, ToolInfo } from "@clinical-evals/evaluator"
import { ComparisonTable } from "@clinical-evals/reporting"
import { Study, StudyPlan } from "@clinical-evals/study"
import * as Console from "effect/Console"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import pkg from "../package.json" with { type: "json" }
import * as StudyTasks from "./StudyTasks.js"

const list = (name: string, description: string) =>
  Options.text(name).pipe(Options.withDescription(description), Options.repeated)

/** The flags of `compare`. */
export const options = {
  registry: Options.file("registry", { exists: "yes" }).pipe(
    Options.withDescription("Model registry (JSON, see docs/study.md). Default: the shipped data/models.json."),
    Options.optional
  ),
  pairs: list("pairs", "Pairs to run, by the name of their biomedical model (repeatable or comma-separated), or all. Default: the registry's defaultPairs (the baseline stand-ins)."),
  models: list("models", "Models to run besides the pairs, by registry name or spec (repeatable or comma-separated)."),
  tasks: list("tasks", `Tasks to run (repeatable or comma-separated): ${StudyTasks.all.map((t) => t.name).join(", ")}. Default: all.`),
  out: Options.text("out").pipe(
    Options.withDescription("Study folder; the same --out resumes. Default: the unfinished study of the same command, else runs/study-<timestamp>."),
    Options.optional
  ),
  limit: Options.integer("limit").pipe(Options.withDescription("Evaluate only the first N samples of each task."), Options.optional),
  concurrency: Options.integer("concurrency").pipe(Options.withDescription("Model calls in flight at once."), Options.withDefault(4)),
  seed: Options.integer("seed").pipe(Options.withDescription("Seed of the models' sampling and of the bootstrap."), Options.withDefault(1234)),
  temperature: Options.float("temperature").pipe(Options.withDescription("Sampling temperature; 0 is greedy decoding."), Options.withDefault(0)),
  maxTokens: Options.integer("max-tokens").pipe(Options.withDescription("Longest answer in tokens. Default: each task's own (512)."), Options.optional),
  numCtx: Options.integer("num-ctx").pipe(Options.withDescription("Context window in tokens (Ollama's num_ctx). Default: the model's own."), Options.optional),
  keepAlive: Options.text("keep-alive").pipe(
    Options.withDescription("How long Ollama keeps a model loaded while its cells run; it is unloaded (keep_alive 0) after its last cell."),
    Options.withDefault("30m")
  ),
  ollamaHost: Options.text("ollama-host").pipe(Options.withDescription("Ollama server. Default: $OLLAMA_HOST, else http://127.0.0.1:11434."), Options.optional),
  timeout: Options.float("timeout").pipe(Options.withDescription("Seconds allowed for one model call."), Options.withDefault(120)),
  retries: Options.integer("retries").pipe(Options.withDescription("Retries of a call that failed on a server error, a dropped connection or a timeout."), Options.withDefault(3)),
  cache: Options.text("cache").pipe(Options.withDescription("Response cache file. Default: ~/.cache/clinical-evals/responses.sqlite ($XDG_CACHE_HOME)."), Options.optional),
  noCache: Options.boolean("no-cache").pipe(Options.withDescription("Neither read nor write the response cache.")),
  noPublished: Options.boolean("no-published").pipe(Options.withDescription("Leave out the published CLUE scores shown beside the measured ones."))
}

type Flags = Command.Command.ParseConfig<typeof options>

const usage = (message: string) => new EvalError.UsageError({ message })

/** What the study can fail with, as the program reports it (exit code 2 for bad input, 1 otherwise). */
export type CompareError = EvalError.EvalError | ModelError.ModelError

const validate = (f: Flags) =>
  Effect.gen(function* () {
    if (f.concurrency < 1) return yield* usage("--concurrency must be at least 1")
    if (Option.isSome(f.limit) && f.limit.value < 1) return yield* usage("--limit must be at least 1")
    if (Option.isSome(f.maxTokens) && f.maxTokens.value < 1) return yield* usage("--max-tokens must be at least 1")
    if (!(f.timeout > 0)) return yield* usage("--timeout must be a positive number of seconds")
    if (f.retries < 0) return yield* usage("--retries cannot be negative")
    if (f.temperature < 0) return yield* usage("--temperature cannot be negative")
  })

/**
 * Runs the study from parsed flags: the matrix on the run store, then the paired table on the terminal
 * and the path of report.html as the last line. Exit code 1 when some samples still failed.
 */
export const execute = Effect.fn("compare.execute")(function* (f: Flags) {
  yield* validate(f)
  const command = EvaluatorCommand.commandLine("compare", process.argv)
  const cacheFile = Option.getOrElse(f.cache, () => ResponseCache.defaultFile())
  const cache = f.noCache ? ResponseCache.layerDisabled : ResponseCache.layer(cacheFile)
  const result = yield* Study.compare({
    registry: Option.getOrNull(f.registry),
    selection: { pairs: StudyPlan.splitList(f.pairs), models: StudyPlan.splitList(f.models), tasks: StudyPlan.splitList(f.tasks) },
    out: Option.getOrNull(f.out),
    tasks: StudyTasks.all,
    published: !f.noPublished,
    run: {
      limit: Option.getOrNull(f.limit),
      concurrency: f.concurrency,
      seed: f.seed,
      temperature: f.temperature,
      maxTokens: Option.getOrNull(f.maxTokens),
      numCtx: Option.getOrNull(f.numCtx),
      keepAlive: f.keepAlive,
      ...(Option.isSome(f.ollamaHost) ? { ollamaHost: f.ollamaHost.value } : {}),
      timeoutSeconds: f.timeout,
      retries: f.retries,
      useCache: !f.noCache,
      command,
      tool: { name: "clinical-evals", version: pkg.version, gitCommit: ToolInfo.gitCommit() }
    }
  }).pipe(Effect.provide(Layer.mergeAll(cache, Progress.layer)))
  if (result.resumed) yield* Console.error(`Resumed the unfinished study of this command in ${result.dir}.`)
  yield* Console.log(ComparisonTable.render(result.comparison))
  for (const note of result.comparison.notes) yield* Console.log(`\nNote: ${note}`)
  if (result.failed > 0) {
    yield* Console.error(`${result.failed} samples failed after retries; run the same command again (with --out ${result.dir}) to retry only those.`)
    process.exitCode = 1
  }
  yield* Console.log(`\nStudy folder: ${result.dir}/ (one run folder per task and model, summary.csv, report.md)`)
  yield* Console.log(`Report: ${result.html}`)
})

/**
 * `compare`: the study. Runs every model of the chosen pairs on every task, one model at a time, and
 * compares each biomedical model with its general-purpose counterpart.
 */
export const command = Command.make("compare", options, execute).pipe(
  Command.withDescription(
    "Compare biomedical models with their general-purpose counterparts on every evaluator: runs the matrix of models by " +
      "tasks (resumable), then writes the paired table (differences with bootstrap intervals, Holm-corrected paired p-values, " +
      "hallucination measures) as summary.csv, report.md and a self-contained report.html. Without flags: the bundled " +
      "samples with the baseline stand-ins, no server needed."
  )
)
