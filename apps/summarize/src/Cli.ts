import { Options } from "@effect/cli"
import { EvaluatorCommand } from "@clinical-evals/evaluator"
import { OllamaEmbedder } from "@clinical-evals/models"
import { SummarizeTask } from "@clinical-evals/task-summarize"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import pkg from "../package.json" with { type: "json" }

/** The evaluator's own flags. */
export interface SummarizeFlags {
  readonly task: "meqsum" | "problem-summary" | "jsonl"
  readonly stem: boolean
  readonly embedModel: Option.Option<string>
}

/** The type of the summarize command (its own flags differ from the common command's). */
export type SummarizeCommand = ReturnType<typeof EvaluatorCommand.make<SummarizeFlags>>

/**
 * `summarize`: CLUE-style summarization (MeQSum questions, Problem Summary lists, or the project's own
 * JSONL), scored with ROUGE, BLEU, chrF, the share of unsupported items and, optionally, the cosine
 * similarity of embeddings.
 */
export const command: SummarizeCommand = EvaluatorCommand.make<SummarizeFlags>({
  name: "summarize",
  description:
    "Summarization as CLUE evaluates it: MeQSum (a patient's question as one short question), Problem Summary " +
    "(BioNLP 2023 Task 1A: a progress note's diagnoses and problems) or the project's own JSONL. 3-shot prompts " +
    "by default; ROUGE-1/2/L/Lsum F with bootstrap 95% intervals, corpus BLEU and chrF, unsupported_rate (the " +
    "share of numbers, quantities and clinical terms of the summary found nowhere in the source), and with " +
    "--embed-model the cosine similarity of embeddings (not BERTScore). Default model: baseline:lead.",
  tool: { name: "clinical-evals", version: pkg.version },
  defaults: { shots: 3, maxTokens: 512 },
  options: {
    task: Options.choice("task", ["meqsum", "problem-summary", "jsonl"]).pipe(
      Options.withDescription(
        "Which prompts, bundled dataset and few-shot pool: meqsum (a patient inquiry as one concise question), " +
          "problem-summary (a progress note as a list of diagnoses and problems), jsonl (the project's own format: " +
          "a concise summary, or each record's instruction)."
      ),
      Options.withDefault("meqsum" as const)
    ),
    stem: Options.boolean("stem").pipe(
      Options.withDescription("Stem words (Porter) before ROUGE. Off by default, as CLUE scores.")
    ),
    embedModel: Options.text("embed-model").pipe(
      Options.withDescription(
        "Also score embedding_cosine: the cosine similarity of summary and reference embeddings from an Ollama " +
          "embedding model (ollama:<tag>, e.g. ollama:nomic-embed-text). Not BERTScore."
      ),
      Options.optional
    )
  },
  task: (flags, common) =>
    Effect.gen(function* () {
      const embedder = Option.isSome(flags.embedModel)
        ? yield* OllamaEmbedder.resolve(flags.embedModel.value, {
            ...(Option.isSome(common.ollamaHost) ? { ollamaHost: common.ollamaHost.value } : {}),
            timeoutSeconds: common.timeout,
            retries: common.retries
          })
        : undefined
      return SummarizeTask.make({ style: flags.task, stem: flags.stem, embedder })
    })
})
