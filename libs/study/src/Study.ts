import type * as FileSystem from "@effect/platform/FileSystem"
import type { EvalError, ModelError, Progress, ResponseCache } from "@clinical-evals/core"
import type { Comparison } from "@clinical-evals/reporting"
import * as Clock from "effect/Clock"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as ModelRegistry from "./ModelRegistry.js"
import * as StudyComparison from "./StudyComparison.js"
import * as StudyFolder from "./StudyFolder.js"
import * as StudyPlan from "./StudyPlan.js"
import * as StudyReport from "./StudyReport.js"
import * as StudyResults from "./StudyResults.js"
import * as StudyRunner from "./StudyRunner.js"
import type { StudyTask, StudyTaskInfo } from "./StudyTask.js"

const isoNow = Clock.currentTimeMillis.pipe(Effect.map((ms) => new Date(ms).toISOString()))

/** The title of a comparison report. */
export const TITLE = "Biomedical against general-purpose models"

/**
 * What `compare` needs: the registry file (null: the shipped one), the selection, the study folder (null:
 * the unfinished study of the same command, else a new `runs/study-<timestamp>`), the run options, the
 * registered tasks, and whether to show published scores.
 *
 * @since 0.2.0
 */
export interface CompareOptions {
  readonly registry: string | null
  readonly selection: StudyPlan.Selection
  readonly out: string | null
  readonly run: StudyRunner.RunOptions
  readonly tasks: ReadonlyArray<StudyTask>
  readonly published: boolean
}

/**
 * What `compare` produced: the study folder (and whether an unfinished one was resumed), the path of
 * report.html, the comparison, the plan, and how many samples still failed after retries.
 *
 * @since 0.2.0
 */
export interface CompareResult {
  readonly dir: string
  readonly resumed: boolean
  readonly html: string
  readonly comparison: Comparison.Comparison
  readonly failed: number
  readonly plan: StudyPlan.Plan
}

/**
 * What `report` produced: the folder written, the path of report.html, the comparison.
 *
 * @since 0.2.0
 */
export interface ReportResult {
  readonly dir: string
  readonly html: string
  readonly comparison: Comparison.Comparison
}

/**
 * The whole study: reads the registry, plans the matrix, runs it on the run store (resuming what is
 * there), then pairs the results and writes summary.csv, report.md and report.html in the study folder.
 * Returns the folder, the path of report.html, the comparison, and how many samples still failed.
 *
 * @since 0.2.0
 */
export const compare: (options: CompareOptions) => Effect.Effect<
  CompareResult,
  EvalError.EvalError | ModelError.ModelError,
  FileSystem.FileSystem | ResponseCache.ResponseCache | Progress.Progress
> = Effect.fn("Study.compare")(function* (options: CompareOptions) {
  const registryFile = options.registry ?? ModelRegistry.defaultFile
  const registry = yield* ModelRegistry.load(registryFile)
  const chosen = options.out === null ? yield* StudyFolder.choose("study", options.run.command) : { dir: options.out, resumed: false }
  const plan = yield* StudyPlan.plan(registry, options.tasks, options.selection, chosen.dir)
  const manifest = {
    command: options.run.command,
    registry: registryFile,
    models: plan.models,
    tasks: plan.tasks.map((t) => t.name),
    startedAt: yield* isoNow,
    endedAt: null
  }
  const before = yield* StudyFolder.read(chosen.dir)
  yield* StudyFolder.write(chosen.dir, Option.match(before, { onNone: () => manifest, onSome: (b) => ({ ...manifest, startedAt: b.startedAt }) }))
  const cells = yield* StudyRunner.run(plan, options.run)
  yield* StudyFolder.write(chosen.dir, { ...manifest, endedAt: yield* isoNow })
  const results = yield* StudyResults.load(plan.cells.map((c) => c.out))
  const comparison = StudyComparison.build(results, {
    title: TITLE,
    registry,
    tasks: options.tasks,
    generatedAt: yield* isoNow,
    seed: options.run.seed,
    published: options.published
  })
  const html = yield* StudyReport.write(chosen.dir, { ...comparison, sources: [chosen.dir] })
  const failed = cells.reduce((n, c) => n + c.result.failed, 0)
  return { dir: chosen.dir, resumed: chosen.resumed, html, comparison, failed, plan }
})

/**
 * What `report` needs: the saved run folders, the registry (null: the study folder's own, else the
 * shipped one), where to write (null: the study folder itself when one study folder is given, else a
 * new `runs/comparison-<timestamp>`), what the study knows of tasks, and the bootstrap seed.
 *
 * @since 0.2.0
 */
export interface ReportOptions {
  readonly folders: ReadonlyArray<string>
  readonly registry: string | null
  readonly out: string | null
  readonly tasks: ReadonlyArray<StudyTaskInfo>
  readonly seed: number
  readonly published: boolean
}

/**
 * Rebuilds the comparison from saved runs, with no model: reads every run folder under the folders
 * given (merging several runs into one comparison), pairs them by the registry, and writes summary.csv,
 * report.md and report.html.
 *
 * @since 0.2.0
 */
export const report: (options: ReportOptions) => Effect.Effect<ReportResult, EvalError.EvalError, FileSystem.FileSystem> = Effect.fn(
  "Study.report"
)(function* (options: ReportOptions) {
  const study = options.folders.length === 1 ? yield* StudyFolder.read(options.folders[0]!) : Option.none()
  const registryFile = options.registry ?? Option.match(study, { onNone: () => ModelRegistry.defaultFile, onSome: (s) => s.registry })
  const registry = yield* ModelRegistry.load(registryFile)
  const results = yield* StudyResults.load(options.folders)
  const dir = options.out ?? (Option.isSome(study) ? options.folders[0]! : (yield* StudyFolder.choose("comparison", [])).dir)
  const comparison = StudyComparison.build(results, {
    title: TITLE,
    registry,
    tasks: options.tasks,
    generatedAt: yield* isoNow,
    seed: options.seed,
    published: options.published
  })
  const html = yield* StudyReport.write(dir, comparison)
  return { dir, html, comparison }
})
