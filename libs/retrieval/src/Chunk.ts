import * as Schema from "effect/Schema"

/**
 * A document to retrieve from: a stable id (unique in its corpus) and its text.
 *
 * @since 0.1.0
 */
export const SourceDocument = Schema.Struct({
  id: Schema.String,
  text: Schema.String
})
export type SourceDocument = typeof SourceDocument.Type

/**
 * One piece of a document, cut on sentence boundaries. `id` is `<document>#<index>` (stable: the same
 * text and chunking options give the same ids), `start`/`end` the character offsets of `text` in the
 * document's text (`text === document.text.slice(start, end)`).
 *
 * @since 0.1.0
 */
export const Chunk = Schema.Struct({
  id: Schema.String,
  document: Schema.String,
  index: Schema.Int,
  start: Schema.Int,
  end: Schema.Int,
  text: Schema.String
})
export type Chunk = typeof Chunk.Type

/**
 * The id of a document's n-th chunk: `<document>#<n>`.
 *
 * @since 0.1.0
 */
export const chunkId = (document: string, index: number): string => `${document}#${index}`

/**
 * Whether a chunk overlaps the character range `[start, end)` of its document (an empty range counts
 * when it lies inside the chunk).
 *
 * @since 0.1.0
 */
export const overlaps = (chunk: Pick<Chunk, "start" | "end">, start: number, end: number): boolean =>
  end <= start ? chunk.start <= start && start < chunk.end : chunk.start < end && start < chunk.end
