import { Args, Command, Options } from "@effect/cli"
import * as FileSystem from "@effect/platform/FileSystem"
import { EvalError, RunFolder, RunMerge } from "@clinical-evals/core"
import { Markdown, SummaryTable } from "@clinical-evals/reporting"
import * as Console from "effect/Console"
import * as Effect from "effect/Effect"
import { join } from "node:path"
import * as MergeTasks from "./MergeTasks.js"

const folders = Args.directory({ name: "run-folder", exists: "yes" }).pipe(
  Args.withDescription("A shard folder: the --out of one `--shard i/n` run. Name all n of them."),
  Args.atLeast(1)
)

const out = Options.text("out").pipe(
  Options.withDescription("The merged run folder to write (it must not hold a run yet).")
)

/**
 * `merge`: combines the shard folders of one run (`--shard 1/n` … `n/n`, on any machines) into one run
 * folder whose summary equals that of the same run on one machine.
 */
export const command = Command.make("merge", { folders, out }, (flags) =>
  Effect.gen(function* () {
    const result = yield* RunMerge.merge({
      folders: flags.folders,
      out: flags.out,
      task: MergeTasks.find,
      command: ["merge", ...flags.folders, "--out", flags.out]
    })
    const fs = yield* FileSystem.FileSystem
    const report = join(flags.out, RunFolder.FILES.report)
    yield* fs
      .writeFileString(report, Markdown.render(result.manifest, result.summary, result.records))
      .pipe(Effect.mapError((e) => new EvalError.StoreError({ file: report, message: e.message })))
    yield* Console.log(SummaryTable.render(result.summary))
    yield* Console.log(`\nMerged ${flags.folders.length} shards: ${flags.out}/ (report.md, summary.json, samples.jsonl, run.json)`)
    if (result.unfinished.length > 0) {
      yield* Console.error(
        `Not finished: ${result.unfinished.join(", ")} (interrupted or samples missing); the summary says complete: false. ` +
          `Resume those shards with their own command, then merge again.`
      )
    }
    if (result.failed > 0) {
      yield* Console.error(
        `${result.failed} sample${result.failed === 1 ? "" : "s"} failed after retries (errors in samples.jsonl). Retry them ` +
          `by running the shards' command without --shard and with --out ${flags.out}.`
      )
      process.exitCode = 1
    }
  })
).pipe(
  Command.withDescription(
    "Combine the shard folders of a run split with --shard i/n (one per machine) into one run folder: " +
      "results.sqlite, samples.jsonl, summary.json (the task's metrics over every sample, as one machine would " +
      "have computed them), run.json and report.md. Refuses folders run with other settings, models or model " +
      "versions, and a shard given twice or missing, saying which."
  )
)
