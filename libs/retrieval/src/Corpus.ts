import { DatasetReader, EvalError } from "@clinical-evals/core"
import * as FileSystem from "@effect/platform/FileSystem"
import * as Effect from "effect/Effect"
import * as Schema from "effect/Schema"
import { extname, join, relative, sep } from "node:path"
import type { SourceDocument } from "./Chunk.js"

/**
 * A user's own documents to retrieve from.
 *
 * @since 0.1.0
 */
export interface Corpus {
  readonly path: string
  readonly format: "folder" | "jsonl"
  readonly documents: ReadonlyArray<SourceDocument>
}

/**
 * The file endings a corpus folder is read for.
 *
 * @since 0.1.0
 */
export const FOLDER_EXTENSIONS: ReadonlyArray<string> = [".txt", ".md"]

/**
 * One line of a JSONL corpus: a non-empty `id` (unique in the file) and a non-empty `text`; other
 * fields are ignored.
 *
 * @since 0.1.0
 */
export const JsonlDocument = Schema.Struct({
  id: Schema.NonEmptyTrimmedString,
  text: Schema.String.pipe(Schema.filter((t) => t.trim().length > 0 || "the text is empty"))
})

const datasetError = (file: string, message: string) => new EvalError.DatasetError({ file, line: null, field: null, message })

const readFolder = (fs: FileSystem.FileSystem, path: string) =>
  Effect.gen(function* () {
    const entries = yield* fs
      .readDirectory(path, { recursive: true })
      .pipe(Effect.mapError((e) => datasetError(path, `cannot read the folder: ${e.message}`)))
    const files = entries
      .filter((e) => FOLDER_EXTENSIONS.includes(extname(e).toLowerCase()))
      .map((e) => relative(path, join(path, e)).split(sep).join("/"))
      .sort()
    const documents: Array<SourceDocument> = []
    for (const id of files) {
      const file = join(path, id)
      const info = yield* fs.stat(file).pipe(Effect.mapError((e) => datasetError(file, e.message)))
      if (info.type !== "File") continue
      const text = yield* fs.readFileString(file).pipe(Effect.mapError((e) => datasetError(file, e.message)))
      if (text.trim().length > 0) documents.push({ id, text: text.replace(/^\uFEFF/, "") })
    }
    if (documents.length === 0) {
      return yield* datasetError(path, `the folder holds no non-empty ${FOLDER_EXTENSIONS.join(" or ")} file`)
    }
    return { path, format: "folder" as const, documents }
  })

const readJsonl = (path: string) =>
  Effect.gen(function* () {
    const text = yield* DatasetReader.readText(path)
    const { records } = yield* DatasetReader.jsonl(path, text, JsonlDocument, "fail")
    yield* DatasetReader.requireUniqueIds(path, records)
    if (records.length === 0) return yield* datasetError(path, "the file holds no documents")
    return { path, format: "jsonl" as const, documents: records.map((r) => ({ id: r.value.id, text: r.value.text })) }
  })

/**
 * Reads a corpus: a folder (every `.txt` and `.md` file in it and its subfolders, empty ones skipped;
 * the id of a document is its path relative to the folder, with `/`, in sorted order) or a JSON Lines
 * file of `{"id": …, "text": …}` (in file order). A bad line is a DatasetError naming file, line and
 * field; a repeated id names both lines.
 *
 * @since 0.1.0
 */
export const load = Effect.fn("Corpus.load")(function* (path: string) {
  const fs = yield* FileSystem.FileSystem
  const info = yield* fs.stat(path).pipe(Effect.mapError(() => datasetError(path, "no such file or folder")))
  return (yield* info.type === "Directory" ? readFolder(fs, path) : readJsonl(path)) satisfies Corpus
})
