import { SampleRecord } from "../SampleRecord.js"

/**
 * A stored record without its prompt messages, for aggregates and reports. The row was validated when
 * it was stored (encoding checks every field), so it is read back with JSON.parse alone.
 *
 * The parsed object is given the class's prototype rather than copied by its constructor. With
 * validation off, the constructor still copies the fields twice and looks every field up for a
 * default, which cost more than the JSON.parse (4.4 against 1.6 µs a record, measured); an export makes
 * one record per stored row. The result is the record `new SampleRecord(fields, true)` makes (the only
 * default, `details`, filled here), which a test pins for every kind of row, so that a change in how
 * Effect builds a class shows there.
 *
 * Not `Object.assign(Object.create(prototype), fields)`: V8 keeps an object built that way, with two
 * dozen properties added one by one, as a dictionary, and 100,000 such records took 195 MB instead of
 * 57 (measured; the harness benchmark's memory figure showed it). JSON.parse's objects keep the compact
 * layout when their prototype changes, as the constructor's do.
 */
export const compactRecord = (json: string): SampleRecord => {
  const fields = JSON.parse(json) as Record<string, unknown>
  fields["details"] ??= {}
  fields["messages"] = []
  return Object.setPrototypeOf(fields, SampleRecord.prototype) as SampleRecord
}
