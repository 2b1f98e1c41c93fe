import { ChatMessage, EvalError, type Task } from "@clinical-evals/core"
import { RetrievalStage, type Retriever } from "@clinical-evals/retrieval"
import * as Effect from "effect/Effect"
import * as LongHealthContext from "./LongHealthContext.js"
import { SYSTEM_PROMPT, userMessage } from "./LongHealthPrompt.js"
import { type Document, documentName, LETTERS, type LongHealthSample } from "./LongHealthSample.js"

/**
 * Retrieval for LongHealth: the retriever and how many chunks go into the prompt (`k`), optionally how
 * documents are chunked (default `Chunker.DEFAULT_OPTIONS` of `@clinical-evals/retrieval`).
 *
 * @since 0.1.0
 */
export interface Retrieval {
  readonly retriever: Retriever.Retriever
  readonly k: number
  readonly chunking?: RetrievalStage.RetrievalConfig["chunking"]
}

/**
 * The query a sample searches with: the question and the texts of options A to E, one per line. The
 * options carry the terms the evidence is written in (a drug, a stage, a value), which the question
 * alone often lacks.
 *
 * @since 0.1.0
 */
export const query = (sample: LongHealthSample): string =>
  [sample.question, ...LETTERS.map((l) => sample.options[l])].join("\n")

/**
 * The character ranges of `answer_location` in the offered documents: each relative `start`/`end`
 * pair multiplied by the text's length (`floor` of the start, `ceil` of the end), as LongHealth's
 * scripts do. Texts of the location that are not offered (task 3, budget) give no range.
 *
 * @since 0.1.0
 */
export const answerRanges = (
  sample: LongHealthSample,
  offered: ReadonlyArray<Document>
): ReadonlyArray<RetrievalStage.AnswerRange> =>
  offered
    .filter((d) => d.patient === sample.patient && Object.hasOwn(sample.answerLocation, d.id))
    .flatMap((d) => {
      const spans = sample.answerLocation[d.id]!
      const length = d.text.length
      return spans.start.map((s, i) => ({
        document: documentName(d),
        start: Math.max(0, Math.floor(s * length)),
        end: Math.min(length, Math.ceil((spans.end[i] ?? s) * length))
      }))
    })

/**
 * The prompt of a sample with retrieval: the documents the task offers (LongHealth's candidates for
 * the variant, before any budget) are cut into chunks, the retriever ranks them for {@link query}, and
 * the `k` best, in rank order, take the place of the whole documents, as many as fit `budgetTokens`
 * (whole chunks; the rest are recorded as left out). The record keeps:
 * - `retrieval`: retriever, k, chunking, chunks searched, each retrieved chunk's id, rank, score and offsets;
 * - `retrievalHit`: whether a chunk in the prompt overlaps `answer_location` (null when no answer
 *   document is offered, as in task 3);
 * - `answerChunks`: the ids of every searched chunk that overlaps `answer_location`;
 * - `context`: the budget and the chunks included and left out, with their estimated tokens.
 *
 * @since 0.1.0
 */
export const prompt = (
  taskName: string,
  sample: LongHealthSample,
  variant: LongHealthContext.Variant,
  budgetTokens: number,
  retrieval: Retrieval
): Effect.Effect<Task.Prompt, EvalError.TaskError> =>
  Effect.gen(function* () {
    const config: RetrievalStage.RetrievalConfig = {
      retriever: retrieval.retriever,
      k: retrieval.k,
      ...(retrieval.chunking === undefined ? {} : { chunking: retrieval.chunking })
    }
    const offered = (yield* LongHealthContext.candidates(sample, variant)).map((c) => c.document)
    const byName = new Map(offered.map((d) => [documentName(d), d]))
    const sources = offered.map((d) => ({ id: documentName(d), text: d.text }))
    const retrieved = yield* RetrievalStage.retrieve(config, query(sample), sources).pipe(
      Effect.mapError((e) => new EvalError.TaskError({ task: taskName, sampleId: sample.id, message: `retrieval failed (${e.stage}): ${e.message}` }))
    )
    const fixed = LongHealthContext.estimateTokens(SYSTEM_PROMPT) + LongHealthContext.estimateTokens(userMessage(sample, variant, []))
    const separator = LongHealthContext.estimateTokens(LongHealthContext.SEPARATOR)
    let used = fixed
    let stop = retrieved.hits.length
    for (let i = 0; i < retrieved.hits.length; i++) {
      const tokens = LongHealthContext.estimateTokens(retrieved.hits[i]!.chunk.text) + separator
      if (used + tokens > budgetTokens) {
        stop = i
        break
      }
      used += tokens
    }
    const included = retrieved.hits.slice(0, stop)
    const leftOut = retrieved.hits.slice(stop)
    const ranges = answerRanges(sample, offered)
    const chunkDocs = included.map((h) => {
      const source = byName.get(h.chunk.document)!
      return { patient: source.patient, id: source.id, text: h.chunk.text }
    })
    const listed = (hits: typeof included) =>
      hits.map((h) => ({ chunk: h.chunk.id, tokens: LongHealthContext.estimateTokens(h.chunk.text) + separator }))
    return {
      messages: [ChatMessage.system(SYSTEM_PROMPT), ChatMessage.user(userMessage(sample, variant, chunkDocs))],
      details: {
        context: {
          variant,
          budgetTokens,
          tokenEstimate: LongHealthContext.TOKEN_ESTIMATE,
          estimatedPromptTokens: used,
          included: listed(included),
          leftOut: listed(leftOut)
        },
        retrieval: RetrievalStage.details(config, retrieved),
        retrievalHit: RetrievalStage.hit(included, ranges),
        answerChunks: RetrievalStage.answerChunks(retrieved.chunks, ranges).map((c) => c.id),
        answer: { letter: sample.answer, text: sample.correctText },
        answerLocation: sample.answerLocation
      }
    } satisfies Task.Prompt
  })
