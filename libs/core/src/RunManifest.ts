import * as Schema from "effect/Schema"
import { Shard } from "./Shard.js"

/** A model as run.json records it. */
export const ManifestModel = Schema.Struct({
  spec: Schema.String,
  provider: Schema.String,
  model: Schema.String,
  digest: Schema.NullOr(Schema.String),
  host: Schema.NullOr(Schema.String)
})

/** The settings that decide what a sample's result is; a run folder may only be resumed with the same ones. */
export const RunSettings = Schema.Struct({
  task: Schema.String,
  datasetSha256: Schema.String,
  shots: Schema.Int,
  shotsFileSha256: Schema.NullOr(Schema.String),
  seed: Schema.Int,
  temperature: Schema.Number,
  maxTokens: Schema.Int,
  numCtx: Schema.NullOr(Schema.Int),
  /** The share of the dataset this run covers (`--shard i/n`); absent for a whole-dataset run. */
  shard: Schema.optional(Shard)
})
export type RunSettings = typeof RunSettings.Type

/**
 * run.json: everything needed to know what was run and to run it again.
 *
 * @since 0.1.0
 */
export const RunManifest = Schema.Struct({
  tool: Schema.Struct({ name: Schema.String, version: Schema.String, gitCommit: Schema.NullOr(Schema.String) }),
  command: Schema.Array(Schema.String),
  evaluator: Schema.String,
  dataset: Schema.Struct({
    path: Schema.String,
    sha256: Schema.String,
    format: Schema.String,
    samples: Schema.Int,
    skipped: Schema.Int
  }),
  models: Schema.Array(ManifestModel),
  settings: RunSettings,
  options: Schema.Record({ key: Schema.String, value: Schema.Unknown }),
  startedAt: Schema.String,
  endedAt: Schema.NullOr(Schema.String),
  counts: Schema.Struct({
    samples: Schema.Int,
    planned: Schema.Int,
    ok: Schema.Int,
    error: Schema.Int,
    computed: Schema.Int,
    resumed: Schema.Int,
    cached: Schema.Int
  }),
  interrupted: Schema.Boolean
})
export type RunManifest = typeof RunManifest.Type
