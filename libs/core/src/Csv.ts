import * as Either from "effect/Either"
import { DatasetError } from "./EvalError.js"

/**
 * One data record of a CSV file: its fields by column name and the 1-based line it starts on (a
 * record whose quoted fields hold line breaks spans several lines).
 *
 * @since 0.1.0
 */
export interface CsvRecord {
  readonly line: number
  readonly fields: Readonly<Record<string, string>>
}

/**
 * A parsed CSV file: the header row, and each data record or, for a record with the wrong number of
 * fields, the error naming its line (so that a loader can fail on it or skip it).
 *
 * @since 0.1.0
 */
export interface CsvTable {
  readonly header: ReadonlyArray<string>
  readonly records: ReadonlyArray<Either.Either<CsvRecord, DatasetError>>
}

/**
 * How strict to be with rows longer than the header.
 * - `allowExtraEmptyFields`: accept fields past the header's last column when they are all empty (as
 *   spreadsheet exports and some published datasets write them, e.g. `…,answer,explanation,,,,`).
 *   Off by default: any row whose field count differs from the header's is an error.
 *
 * @since 0.1.0
 */
export interface CsvOptions {
  readonly allowExtraEmptyFields?: boolean
}

/** A raw row: its fields and the line it starts on. */
interface Row {
  readonly line: number
  readonly fields: ReadonlyArray<string>
}

const fail = (file: string, line: number | null, message: string) =>
  Either.left(new DatasetError({ file, line, field: null, message }))

/**
 * Splits CSV text into rows of fields, following RFC 4180: fields separated by commas, rows by CRLF
 * or LF; a field in double quotes may hold commas, line breaks and doubled quotes (`""`). A leading
 * byte-order mark is dropped and blank lines outside quotes are left out. Line breaks inside quoted
 * fields come out as LF. An unterminated quote, a quote inside an unquoted field or text after a
 * closing quote is an error naming the line.
 *
 * @since 0.1.0
 */
export const parseRows = (file: string, text: string): Either.Either<ReadonlyArray<Row>, DatasetError> => {
  const input = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text
  const rows: Array<Row> = []
  let fields: Array<string> = []
  let field = ""
  let line = 1
  let rowLine = 1
  let i = 0
  const n = input.length
  // Whether the current row has any content yet: a blank line has none and is skipped.
  let rowStarted = false

  const endRow = () => {
    if (rowStarted) rows.push({ line: rowLine, fields: [...fields, field] })
    fields = []
    field = ""
    rowStarted = false
  }

  while (i < n) {
    const c = input[i]!
    if (c === '"') {
      if (field !== "") return fail(file, line, "a double quote inside an unquoted field (quote the whole field and double the quote)")
      const quoteLine = line
      rowStarted = true
      i++
      let closed = false
      while (i < n) {
        const q = input[i]!
        if (q === '"') {
          if (input[i + 1] === '"') {
            field += '"'
            i += 2
            continue
          }
          closed = true
          i++
          break
        }
        if (q === "\r" && input[i + 1] === "\n") {
          field += "\n"
          line++
          i += 2
          continue
        }
        if (q === "\n" || q === "\r") line++
        field += q === "\r" ? "\n" : q
        i++
      }
      if (!closed) return fail(file, quoteLine, "a quoted field is never closed (unterminated double quote)")
      const next = input[i]
      if (next !== undefined && next !== "," && next !== "\n" && next !== "\r") {
        const after = JSON.stringify(input.slice(i, i + 20))
        return quoteLine === line
          ? fail(file, line, `unexpected text after a closing double quote: ${after}`)
          : fail(file, quoteLine, `a quoted field opened on line ${quoteLine} runs to line ${line} and is followed by ${after}: is its closing quote missing?`)
      }
      if (next === undefined) break
      continue
    }
    if (c === ",") {
      fields.push(field)
      field = ""
      rowStarted = true
      i++
      continue
    }
    if (c === "\n" || c === "\r") {
      endRow()
      i += c === "\r" && input[i + 1] === "\n" ? 2 : 1
      line++
      rowLine = line
      continue
    }
    rowStarted = true
    field += c
    i++
  }
  endRow()
  return Either.right(rows)
}

/**
 * Parses a CSV file whose first row names the columns into records keyed by column name, each with
 * the 1-based line it starts on. A missing header, an empty or repeated column name (one unnamed
 * column, as a pandas index writes, is allowed) and the syntax errors of {@link parseRows} fail the
 * whole file; a record with the wrong number of fields is returned as an error of its own.
 *
 * @since 0.1.0
 */
export const parse = (file: string, text: string, options: CsvOptions = {}): Either.Either<CsvTable, DatasetError> =>
  Either.flatMap(parseRows(file, text), (rows) => {
    const [head, ...data] = rows
    if (head === undefined) return fail(file, null, "the file has no header row")
    const header = head.fields.map((h) => h.trim())
    const seen = new Set<string>()
    for (const h of header) {
      if (seen.has(h)) {
        return fail(file, head.line, h === "" ? "more than one column has no name" : `column "${h}" appears twice in the header`)
      }
      seen.add(h)
    }
    const records = data.map((row): Either.Either<CsvRecord, DatasetError> => {
      const extra = row.fields.slice(header.length)
      const tolerated = options.allowExtraEmptyFields === true && extra.every((f) => f.trim() === "")
      if (row.fields.length < header.length || (extra.length > 0 && !tolerated)) {
        return Either.left(
          new DatasetError({
            file,
            line: row.line,
            field: null,
            message: `expected ${header.length} fields as in the header, found ${row.fields.length}`
          })
        )
      }
      const fields: Record<string, string> = {}
      header.forEach((h, k) => {
        fields[h] = row.fields[k] ?? ""
      })
      return Either.right({ line: row.line, fields })
    })
    return Either.right({ header, records })
  })
