import * as FileSystem from "@effect/platform/FileSystem"
import { EvalError, type ModelError, Progress, type ResponseCache, RunFolder, Runner, type Task } from "@clinical-evals/core"
import { Baseline, ModelResolver, ModelSpec, OllamaHost } from "@clinical-evals/models"
import { RagVariant } from "@clinical-evals/retrieval"
import { Markdown } from "@clinical-evals/reporting"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as Layer from "effect/Layer"
import { Ollama } from "ollama"
import { join } from "node:path"
import type { Cell, Plan } from "./StudyPlan.js"

/**
 * How the matrix runs: the run settings every cell shares, how long Ollama keeps a model loaded while
 * its cells run (`keepAlive`), and the model connection.
 *
 * @since 0.2.0
 */
export interface RunOptions {
  readonly limit: number | null
  readonly concurrency: number
  readonly seed: number
  readonly temperature: number
  /** Longest answer; null: each task's own default (512 unless the task says otherwise). */
  readonly maxTokens: number | null
  readonly numCtx: number | null
  /** Ollama `keep_alive` of every call of a model while its cells run (e.g. `30m`); it is unloaded after its last cell. */
  readonly keepAlive: string
  readonly ollamaHost?: string
  readonly timeoutSeconds: number
  readonly retries: number
  readonly retryBaseDelayMs?: number
  readonly useCache: boolean
  readonly command: ReadonlyArray<string>
  readonly tool: { readonly name: string; readonly version: string; readonly gitCommit: string | null }
}

/**
 * What one cell produced.
 *
 * @since 0.2.0
 */
export interface CellResult {
  readonly cell: Cell
  readonly result: Runner.RunResult
}

const baselinesOf = (plan: Plan): Record<string, Task.TaskBaseline> =>
  Object.assign({}, ...plan.tasks.map((t) => Baseline.ofTask(t.task)))

const resolverConfig = (options: RunOptions): ModelResolver.ResolverConfig => ({
  timeoutSeconds: options.timeoutSeconds,
  retries: options.retries,
  ...(options.ollamaHost === undefined ? {} : { ollamaHost: options.ollamaHost }),
  ...(options.retryBaseDelayMs === undefined ? {} : { retryBaseDelayMs: options.retryBaseDelayMs })
})

/**
 * Asks Ollama to unload a model now (`keep_alive: 0` on a generate call with no prompt), so that the
 * next model of the study has the memory. A failure is only logged: the model then unloads itself when
 * its keep-alive runs out.
 *
 * @since 0.2.0
 */
export const unload = (host: string, tag: string) =>
  Effect.tryPromise(() => new Ollama({ host }).generate({ model: tag, prompt: "", keep_alive: 0, stream: false })).pipe(
    Effect.asVoid,
    Effect.catchAll((e) => Effect.logWarning(`could not unload ${tag} from ${host}: ${String(e.error)}`))
  )

const runCell = (cell: Cell, options: RunOptions, ollama: boolean) =>
  Effect.gen(function* () {
    const task = cell.task
    const config: Runner.RunConfig = {
      task: task.task,
      evaluator: task.evaluator,
      dataset: null,
      models: [cell.model],
      out: cell.out,
      limit: options.limit,
      concurrency: options.concurrency,
      seed: options.seed,
      shots: task.defaults?.shots ?? 0,
      shotsFile: null,
      temperature: options.temperature,
      maxTokens: options.maxTokens ?? task.defaults?.maxTokens ?? 512,
      numCtx: options.numCtx,
      keepAlive: ollama ? options.keepAlive : null,
      onBadInput: "fail",
      useCache: options.useCache,
      command: options.command,
      options: {
        study: true,
        models: [cell.model],
        limit: options.limit,
        concurrency: options.concurrency,
        keepAlive: ollama ? options.keepAlive : null,
        timeoutSeconds: options.timeoutSeconds,
        retries: options.retries,
        ollamaHost: options.ollamaHost ?? null
      },
      tool: options.tool
    }
    const result = yield* Runner.run(config).pipe(
      Effect.provide(RagVariant.layer.pipe(Layer.provide(ModelResolver.layer(resolverConfig(options), Baseline.ofTask(task.task)))))
    )
    const fs = yield* FileSystem.FileSystem
    const report = join(cell.out, RunFolder.FILES.report)
    yield* fs
      .writeFileString(report, Markdown.render(result.manifest, result.summary, result.records))
      .pipe(Effect.mapError((e) => new EvalError.StoreError({ file: report, message: e.message })))
    return { cell, result } satisfies CellResult
  })

/**
 * Runs the matrix on the run store, one model at a time: every model is looked up first (a model that is
 * not pulled stops the study before any sample, with the `ollama pull` to run); then each model runs all
 * its cells, each cell a normal run folder that resumes (finished samples are never computed again, so an
 * interrupted study resumes and a re-run with one more model computes only that model), and an Ollama
 * model that computed anything is unloaded after its last cell.
 *
 * @since 0.2.0
 */
export const run: (
  plan: Plan,
  options: RunOptions
) => Effect.Effect<
  ReadonlyArray<CellResult>,
  EvalError.EvalError | ModelError.ModelError,
  FileSystem.FileSystem | ResponseCache.ResponseCache | Progress.Progress
> = Effect.fn("StudyRunner.run")(function* (plan: Plan, options: RunOptions) {
  const progress = yield* Progress.Progress
  const check = RagVariant.wrapResolver(ModelResolver.make(resolverConfig(options), baselinesOf(plan)))
  yield* Effect.forEach(plan.models, (spec) => check.resolve(spec).pipe(Effect.flatMap((m) => m.info)), { discard: true })
  const host = yield* OllamaHost.resolve(options.ollamaHost)
  const results: Array<CellResult> = []
  for (const model of plan.models) {
    const decoded = yield* ModelSpec.decode(RagVariant.parse(model).base)
    const tag = decoded._tag === "OllamaSpec" ? decoded.tag : null
    const ollama = tag !== null
    let computed = 0
    const cells = plan.cells.filter((c) => c.model === model)
    yield* Effect.forEach(cells, (cell) =>
      runCell(cell, options, ollama).pipe(
        Effect.tap((r) => Effect.sync(() => void (computed += r.result.manifest.counts.computed))),
        Effect.tap((r) => Effect.sync(() => void results.push(r)))
      ), { discard: true }
    ).pipe(
      // Unloaded after its last cell when it computed anything, and always when the study stops mid-model.
      Effect.onExit((exit) => (tag !== null && (computed > 0 || Exit.isFailure(exit)) ? unload(host, tag) : Effect.void))
    )
    if (ollama && computed > 0) yield* progress.log(`${model}: unloaded (keep_alive 0) after its last cell`)
  }
  return results
})
