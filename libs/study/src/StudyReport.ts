import * as FileSystem from "@effect/platform/FileSystem"
import { EvalError, RunFolder } from "@clinical-evals/core"
import type { Comparison } from "@clinical-evals/reporting"
import { ComparisonHtml, ComparisonMarkdown, SummaryCsv } from "@clinical-evals/reporting"
import * as Effect from "effect/Effect"
import { join } from "node:path"

/**
 * The files of a comparison, written in the study folder (or the `report` command's `--out`).
 *
 * @since 0.2.0
 */
export const FILES = { csv: "summary.csv", markdown: "report.md", html: "report.html" } as const

/**
 * Writes summary.csv, report.md and report.html, each whole or not at all, and returns the path of
 * report.html.
 *
 * @since 0.2.0
 */
export const write = Effect.fn("StudyReport.write")(function* (dir: string, comparison: Comparison.Comparison) {
  const fs = yield* FileSystem.FileSystem
  yield* fs.makeDirectory(dir, { recursive: true }).pipe(
    Effect.mapError((e) => new EvalError.StoreError({ file: dir, message: `cannot create: ${e.message}` }))
  )
  yield* RunFolder.writeAtomic(join(dir, FILES.csv), SummaryCsv.render(comparison))
  yield* RunFolder.writeAtomic(join(dir, FILES.markdown), ComparisonMarkdown.render(comparison))
  const html = join(dir, FILES.html)
  yield* RunFolder.writeAtomic(html, ComparisonHtml.render(comparison))
  return html
})
