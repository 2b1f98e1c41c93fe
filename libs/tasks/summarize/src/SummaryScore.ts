import { Embedder, EvalError, Score } from "@clinical-evals/core"
import { Rouge } from "@clinical-evals/metrics"
import * as Effect from "effect/Effect"
import type { SummarySample } from "./SummarySample.js"
import * as Unsupported from "./Unsupported.js"

/**
 * The per-sample ROUGE F scores, by score name, as in `scores` (0–1, rouge_score's definitions).
 *
 * @since 0.1.0
 */
export const ROUGE = ["rouge1", "rouge2", "rougeL", "rougeLsum"] as const

/**
 * The share of the summary's checkable items found nowhere in the source (see `Unsupported`).
 *
 * @since 0.1.0
 */
export const UNSUPPORTED_RATE = "unsupported_rate"

/**
 * Cosine similarity of the embedding vectors of the summary and the reference (`--embed-model`). Not
 * BERTScore: one vector per text, no token alignment.
 *
 * @since 0.1.0
 */
export const EMBEDDING_COSINE = "embedding_cosine"

/**
 * How samples are scored: ROUGE with or without Porter stemming (off by default, as CLUE), and an
 * optional embedder for {@link EMBEDDING_COSINE}.
 *
 * @since 0.1.0
 */
export interface ScoreOptions {
  readonly task: string
  readonly stem: boolean
  readonly embedder?: Embedder.EmbedderShape | undefined
}

const score = (value: number, parsed: Score.ParsedAnswer, explanation: string, details?: Record<string, unknown>) =>
  new Score.Score({
    value,
    answer: parsed.answer,
    parseStatus: parsed.status,
    explanation,
    ...(details === undefined ? {} : { details })
  })

/**
 * Scores one summary: ROUGE-1/2/L/Lsum F against the reference; `unsupported_rate` against the source
 * (left out when the summary has no checkable item), with the items checked and those unsupported in
 * its details; and, with an embedder, `embedding_cosine`. An empty summary scores 0 everywhere. An
 * embedding call that fails is a TaskError: the sample fails and the next run tries it again.
 *
 * @since 0.1.0
 */
export const scores = (
  sample: SummarySample,
  parsed: Score.ParsedAnswer,
  options: ScoreOptions
): Effect.Effect<Record<string, Score.Score>, EvalError.TaskError> =>
  Effect.gen(function* () {
    const prediction = parsed.status === "ok" ? (parsed.answer ?? "") : ""
    const out: Record<string, Score.Score> = {}
    const rouge = Rouge.score(prediction, sample.reference, { stem: options.stem })
    const how = options.stem ? "with Porter stemming" : "no stemming"
    for (const name of ROUGE) out[name] = score(rouge[name].fmeasure, parsed, `${name} F against the reference (${how})`)
    if (prediction !== "") {
      const check = Unsupported.check(prediction, sample.source)
      if (check.rate !== null) {
        const list = (items: ReadonlyArray<Unsupported.Item>) => items.map((i) => ({ text: i.text, kind: i.kind }))
        out[UNSUPPORTED_RATE] = score(
          check.rate,
          parsed,
          check.unsupported.length === 0
            ? `all ${check.items.length} checkable items appear in the source`
            : `${check.unsupported.length} of ${check.items.length} checkable items appear nowhere in the source: ${check.unsupported.map((i) => i.text).join(", ")}`,
          { unsupported: list(check.unsupported), checked: list(check.items) }
        )
      }
    }
    if (options.embedder !== undefined) {
      const embedder = options.embedder
      if (prediction === "") {
        out[EMBEDDING_COSINE] = score(0, parsed, "empty summary: no embedding")
      } else {
        const vectors = yield* embedder.embed([prediction, sample.reference]).pipe(
          Effect.mapError(
            (e) =>
              new EvalError.TaskError({
                task: options.task,
                sampleId: sample.id,
                message: `embedding with ${embedder.spec} failed: ${e.message}`
              })
          )
        )
        const [a, b] = vectors
        if (a === undefined || b === undefined || a.length !== b.length || a.length === 0) {
          return yield* new EvalError.TaskError({
            task: options.task,
            sampleId: sample.id,
            message: `embedding with ${embedder.spec} returned ${vectors.length} vectors for 2 texts, or vectors of different lengths`
          })
        }
        out[EMBEDDING_COSINE] = score(Embedder.cosine(a, b), parsed, `cosine similarity of the ${embedder.spec} embeddings of summary and reference`)
      }
    }
    return out
  })
