import { Command, Options } from "@effect/cli"
import * as FileSystem from "@effect/platform/FileSystem"
import { DatasetReader, EvalError } from "@clinical-evals/core"
import { PairScores } from "@clinical-evals/metrics"
import * as Console from "effect/Console"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"

const input = Options.file("input").pipe(
  Options.withDescription(
    "JSON lines, one pair per line: `id` (a string or a number, echoed as given), `prediction` and `reference` " +
      "(strings). Other fields are ignored. A bad line stops the command with its file, line and field (exit 2)."
  )
)

const output = Options.file("output").pipe(
  Options.withDescription("Write the JSON lines to this file instead of standard output."),
  Options.optional
)

const stem = Options.boolean("stem").pipe(
  Options.withDescription(
    "Stem tokens longer than 3 characters with NLTK 3.8's Porter stemmer, as rouge_score's use_stemmer=True."
  )
)

/** Reads the pairs, scores them, and writes one JSON line per pair then the `{"corpus": …}` line. */
const run = Effect.fn("Score.run")(function* <R, C>(
  file: string,
  out: Option.Option<string>,
  score: (pairs: ReadonlyArray<PairScores.Pair>) => PairScores.Scored<R, C>
) {
  const text = yield* DatasetReader.readText(file)
  const { records } = yield* DatasetReader.jsonl(file, text, PairScores.Pair, "fail")
  const scored = score(records.map((r) => r.value))
  const body = [...scored.records, { corpus: scored.corpus }].map((line) => JSON.stringify(line)).join("\n")
  if (Option.isNone(out)) return yield* Console.log(body)
  const fs = yield* FileSystem.FileSystem
  yield* fs
    .writeFileString(out.value, body + "\n")
    .pipe(Effect.mapError((e) => new EvalError.UsageError({ message: `cannot write ${out.value}: ${e.message}` })))
})

const rouge = Command.make("rouge", { input, output, stem }, (flags) =>
  run(flags.input, flags.output, (pairs) => PairScores.rouge(pairs, { stem: flags.stem }))
).pipe(
  Command.withDescription(
    "ROUGE-1, ROUGE-2, ROUGE-L and ROUGE-Lsum as Google's rouge_score 0.1.2, on its 0–1 scale. Each line: " +
      '`id`, then `rouge1`, `rouge2`, `rougeL`, `rougeLsum`, each {"precision", "recall", "fmeasure"}. ' +
      'Last line: {"corpus": …} with the MEAN of each of those values over the pairs (rouge_score has no ' +
      "corpus ROUGE of its own; papers report this mean), and `n`, the number of pairs. ROUGE-Lsum splits " +
      "sentences on newlines only."
  )
)

const bleu = Command.make("bleu", { input, output }, (flags) => run(flags.input, flags.output, PairScores.bleu)).pipe(
  Command.withDescription(
    "BLEU as sacreBLEU 2.6.0's defaults (13a tokenizer, exponential smoothing), on its 0–100 scale. Each line: " +
      "`id`, `bleu` (sentence BLEU, the BLEU class defaults) and `bleu_eff` (with effective order, as sacreBLEU's " +
      'sentence_bleu). Last line: {"corpus": …} with corpus BLEU from the statistics summed over all pairs ' +
      "(not a mean of sentence scores): `bleu`, `precisions` (1- to 4-gram, 0–100), `bp`, `sys_len`, `ref_len`, `n`."
  )
)

const chrf = Command.make("chrf", { input, output }, (flags) => run(flags.input, flags.output, PairScores.chrf)).pipe(
  Command.withDescription(
    "chrF as sacreBLEU 2.6.0's defaults (character 6-grams, beta 2), on its 0–100 scale. Each line: `id` and " +
      '`chrf` (sentence chrF). Last line: {"corpus": …} with corpus chrF from the statistics summed over all ' +
      "pairs (not a mean of sentence scores), and `n`."
  )
)

/**
 * `score`: re-scores saved outputs with ROUGE, BLEU or chrF, with no model at all.
 */
export const command = Command.make("score", {}, () =>
  Effect.fail(new EvalError.UsageError({ message: "choose a metric: score rouge|bleu|chrf --input FILE (see --help)" }))
).pipe(
  Command.withDescription(
    "Re-score saved outputs, no model needed: `score <rouge|bleu|chrf> --input pairs.jsonl [--stem] [--output FILE]` " +
      "reads JSON lines with `id`, `prediction` and `reference` and writes one JSON line per pair with its id and " +
      'the metric\'s values, then a last line {"corpus": …}. ROUGE on 0–1 (rouge_score 0.1.2); BLEU and chrF on ' +
      "0–100 (sacreBLEU 2.6.0). --stem is for rouge only. Each metric has --help."
  ),
  Command.withSubcommands([rouge, bleu, chrf])
)
