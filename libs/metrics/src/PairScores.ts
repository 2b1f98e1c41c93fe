/**
 * One text metric over a list of saved (prediction, reference) pairs: a record per pair with its id and
 * the metric's fields, and a corpus record, in the shape the `score` command writes as JSON lines.
 * Field names follow the reference tools (`rouge1`…`rougeLsum` with `precision`, `recall`, `fmeasure`
 * as rouge_score; `sys_len`, `ref_len`, `bp`, `precisions` as sacreBLEU).
 *
 * @since 0.1.0
 */
import * as Schema from "effect/Schema"
import * as Bleu from "./Bleu.js"
import * as Chrf from "./Chrf.js"
import * as Rouge from "./Rouge.js"

/**
 * A saved pair to score: its id (a string or a number, echoed as given), the model's prediction and
 * the reference text. Other fields of an input line are ignored.
 *
 * @since 0.1.0
 */
export const Pair = Schema.Struct({
  id: Schema.Union(Schema.String, Schema.Number).annotations({
    message: () => ({ message: "expected a string or a number", override: true })
  }),
  prediction: Schema.String,
  reference: Schema.String
})

/**
 * A decoded pair.
 *
 * @since 0.1.0
 */
export type Pair = typeof Pair.Type

/**
 * The id a record carries, as it was given.
 *
 * @since 0.1.0
 */
export type Id = Pair["id"]

/**
 * Per-pair records, in input order, and the corpus-level record.
 *
 * @since 0.1.0
 */
export interface Scored<Record, Corpus> {
  readonly records: ReadonlyArray<{ readonly id: Id } & Record>
  readonly corpus: Corpus
}

/**
 * The corpus ROUGE record: the mean of each variant's precision, recall and F over the pairs, and how
 * many pairs that is.
 *
 * @since 0.1.0
 */
export interface RougeCorpus extends Rouge.Scores {
  readonly n: number
}

/**
 * Per-pair BLEU (0–100): `bleu` is sacreBLEU's sentence BLEU with the `BLEU` class defaults, `bleu_eff`
 * the same with effective order (the default of sacreBLEU's `sentence_bleu` function).
 *
 * @since 0.1.0
 */
export interface BleuRecord {
  readonly bleu: number
  readonly bleu_eff: number
}

/**
 * Corpus BLEU (0–100) from statistics summed over the pairs, with its n-gram precisions (0–100),
 * brevity penalty and lengths, as sacreBLEU's `corpus_score`.
 *
 * @since 0.1.0
 */
export interface BleuCorpus {
  readonly bleu: number
  readonly precisions: ReadonlyArray<number>
  readonly bp: number
  readonly sys_len: number
  readonly ref_len: number
  readonly n: number
}

/**
 * Per-pair chrF (0–100), sacreBLEU's sentence chrF.
 *
 * @since 0.1.0
 */
export interface ChrfRecord {
  readonly chrf: number
}

/**
 * Corpus chrF (0–100) from statistics summed over the pairs.
 *
 * @since 0.1.0
 */
export interface ChrfCorpus {
  readonly chrf: number
  readonly n: number
}

/**
 * ROUGE-1, ROUGE-2, ROUGE-L and ROUGE-Lsum (0–1) per pair, and their means over the pairs.
 *
 * @since 0.1.0
 */
export const rouge = (pairs: ReadonlyArray<Pair>, options: Rouge.Options = {}): Scored<Rouge.Scores, RougeCorpus> => {
  const scores = pairs.map((p) => Rouge.score(p.prediction, p.reference, options))
  return {
    records: pairs.map((p, i) => ({ id: p.id, ...scores[i]! })),
    corpus: { ...Rouge.meanScores(scores), n: pairs.length }
  }
}

/**
 * Sentence BLEU with and without effective order per pair, and corpus BLEU from the summed statistics.
 *
 * @since 0.1.0
 */
export const bleu = (pairs: ReadonlyArray<Pair>): Scored<BleuRecord, BleuCorpus> => {
  const stats = pairs.map((p) => Bleu.statistics(p.prediction, p.reference))
  const corpus = Bleu.fromStatistics(Bleu.sumStatistics(stats))
  return {
    records: pairs.map((p, i) => ({
      id: p.id,
      bleu: Bleu.fromStatistics(stats[i]!).score,
      bleu_eff: Bleu.fromStatistics(stats[i]!, { effectiveOrder: true }).score
    })),
    corpus: {
      bleu: corpus.score,
      precisions: corpus.precisions,
      bp: corpus.bp,
      sys_len: corpus.sysLen,
      ref_len: corpus.refLen,
      n: pairs.length
    }
  }
}

/**
 * Sentence chrF per pair, and corpus chrF from the summed statistics.
 *
 * @since 0.1.0
 */
export const chrf = (pairs: ReadonlyArray<Pair>): Scored<ChrfRecord, ChrfCorpus> => {
  const stats = pairs.map((p) => Chrf.statistics(p.prediction, p.reference))
  return {
    records: pairs.map((p, i) => ({ id: p.id, chrf: Chrf.fromStatistics(stats[i]!) })),
    corpus: { chrf: Chrf.fromStatistics(Chrf.sumStatistics(stats)), n: pairs.length }
  }
}
