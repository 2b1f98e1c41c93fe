import { Args, Command, Options } from "@effect/cli"
import { StudyTasks } from "@clinical-evals/compare"
import type { EvalError } from "@clinical-evals/core"
import { ComparisonTable } from "@clinical-evals/reporting"
import { Study } from "@clinical-evals/study"
import * as Console from "effect/Console"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"

/** The flags and arguments of `report`. */
export const config = {
  folders: Args.directory({ name: "run-folder", exists: "yes" }).pipe(
    Args.withDescription("Saved run folders or study folders (one run folder per task and model below them); several merge into one comparison."),
    Args.atLeast(1)
  ),
  registry: Options.file("registry", { exists: "yes" }).pipe(
    Options.withDescription("Model registry that says who pairs with whom. Default: the study folder's own, else the shipped data/models.json."),
    Options.optional
  ),
  out: Options.text("out").pipe(
    Options.withDescription("Where to write summary.csv, report.md and report.html. Default: the study folder when one is given, else runs/comparison-<timestamp>."),
    Options.optional
  ),
  seed: Options.integer("seed").pipe(Options.withDescription("Seed of the bootstrap."), Options.withDefault(1234)),
  noPublished: Options.boolean("no-published").pipe(Options.withDescription("Leave out the published CLUE scores."))
}

/** What rebuilding a report can fail with (bad input: exit code 2). */
export type ReportError = EvalError.EvalError

/**
 * `report <run-folder>…`: rebuilds the comparison reports from saved runs, with no model, merging several
 * runs into one comparison; prints the paired table and, last, the path of report.html.
 */
export const command = Command.make("report", config, (c) =>
  Effect.gen(function* () {
    const result = yield* Study.report({
      folders: [...c.folders],
      registry: Option.getOrNull(c.registry),
      out: Option.getOrNull(c.out),
      tasks: StudyTasks.all,
      seed: c.seed,
      published: !c.noPublished
    })
    yield* Console.log(ComparisonTable.render(result.comparison))
    for (const note of result.comparison.notes) yield* Console.log(`\nNote: ${note}`)
    yield* Console.log(`\nReport: ${result.html}`)
  })
).pipe(
  Command.withDescription(
    "Rebuild summary.csv, report.md and report.html from saved run folders (no model needed); several folders merge into one comparison."
  )
)
