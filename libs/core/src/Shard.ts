import * as Effect from "effect/Effect"
import * as Schema from "effect/Schema"
import { UsageError } from "./EvalError.js"
import { sha256 } from "./internal/hash.js"

/**
 * One share of a dataset, as `--shard i/n` names it: `index` from 1 to `count`. A sample belongs to the
 * shard whose index is 1 + (sha256 of its id, first 48 bits) mod `count`: machines that share nothing
 * agree on every sample's shard, and the shards of one `count` cover the dataset exactly once.
 *
 * @since 0.2.0
 */
export const Shard = Schema.Struct({
  index: Schema.Int.pipe(Schema.positive()),
  count: Schema.Int.pipe(Schema.positive())
}).pipe(Schema.filter((s) => s.index <= s.count || `shard ${s.index}/${s.count}: the index must be between 1 and ${s.count}`))
export type Shard = typeof Shard.Type

/** `i/n`, as the flag is written. */
export const label = (shard: Shard): string => `${shard.index}/${shard.count}`

/**
 * The shard (1 to `count`) a sample id belongs to.
 *
 * @since 0.2.0
 */
export const of = (id: string, count: number): number => (Number.parseInt(sha256(id).slice(0, 12), 16) % count) + 1

/**
 * Whether the sample with this id belongs to the shard.
 *
 * @since 0.2.0
 */
export const owns = (shard: Shard, id: string): boolean => of(id, shard.count) === shard.index

/**
 * Reads `--shard i/n` (`2/3`: the second of three shares), failing with a UsageError that says what is
 * allowed.
 *
 * @since 0.2.0
 */
export const parse = (text: string): Effect.Effect<Shard, UsageError> => {
  const m = /^\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(text)
  const index = m ? Number(m[1]) : Number.NaN
  const count = m ? Number(m[2]) : Number.NaN
  return m && count >= 1 && index >= 1 && index <= count
    ? Effect.succeed({ index, count })
    : Effect.fail(
        new UsageError({ message: `--shard ${JSON.stringify(text)}: write i/n with 1 ≤ i ≤ n, e.g. --shard 1/3 (the first of three machines)` })
      )
}
