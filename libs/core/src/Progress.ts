import * as Clock from "effect/Clock"
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Ref from "effect/Ref"

/** How one sample ended, for the progress counters. */
export type Outcome = "ok" | "error"

/**
 * Progress of a long run: a live line on a terminal, plain lines otherwise (logs, CI), nothing in tests.
 *
 * @since 0.1.0
 */
export class Progress extends Context.Tag("@clinical-evals/core/Progress")<
  Progress,
  {
    /** A new phase: `total` samples for `label`, of which `done` were already finished before. */
    readonly start: (label: string, total: number, done: number) => Effect.Effect<void>
    readonly advance: (outcome: Outcome, cached: boolean) => Effect.Effect<void>
    readonly finish: Effect.Effect<void>
    /** A message that must not be garbled by the live line. */
    readonly log: (line: string) => Effect.Effect<void>
  }
>() {}

interface State {
  readonly label: string
  readonly total: number
  readonly resumed: number
  readonly ok: number
  readonly error: number
  readonly cached: number
  readonly startedAt: number
  readonly lastDrawn: number
  readonly lastPlainStep: number
}

const initial: State = {
  label: "",
  total: 0,
  resumed: 0,
  ok: 0,
  error: 0,
  cached: 0,
  startedAt: 0,
  lastDrawn: 0,
  lastPlainStep: -1
}

const formatDuration = (ms: number): string => {
  const s = Math.max(0, Math.round(ms / 1000))
  const h = Math.floor(s / 3600)
  const m = Math.floor((s % 3600) / 60)
  const sec = String(s % 60).padStart(2, "0")
  return h > 0 ? `${h}:${String(m).padStart(2, "0")}:${sec}` : `${m}:${sec}`
}

/** The progress line: label, done/total, outcomes, rate and the time left. */
export const describe = (s: State, now: number): string => {
  const done = s.resumed + s.ok + s.error
  const fresh = s.ok + s.error - s.cached
  const elapsed = now - s.startedAt
  const rate = elapsed > 0 ? (fresh * 1000) / elapsed : 0
  const left = s.total - done
  const eta = rate > 0 && left > 0 ? ` ETA ${formatDuration((left / rate) * 1000)}` : ""
  const parts = [`${s.label}`, `${done}/${s.total}`, `ok ${s.ok + s.resumed}`]
  if (s.error > 0) parts.push(`failed ${s.error}`)
  if (s.cached > 0) parts.push(`cached ${s.cached}`)
  if (s.resumed > 0) parts.push(`resumed ${s.resumed}`)
  parts.push(`${rate.toFixed(1)}/s${eta}`)
  return parts.join("  ")
}

const make = (write: (text: string) => void, live: boolean) =>
  Effect.gen(function* () {
    const state = yield* Ref.make(initial)
    const draw = (force: boolean) =>
      Effect.gen(function* () {
        const now = yield* Clock.currentTimeMillis
        const s = yield* Ref.get(state)
        if (live) {
          if (!force && now - s.lastDrawn < 100) return
          yield* Ref.update(state, (x) => ({ ...x, lastDrawn: now }))
          write(`\r\x1b[K${describe(s, now)}`)
        } else {
          // Plain output: a line at every tenth of the work, and at the end.
          const done = s.resumed + s.ok + s.error
          const step = s.total === 0 ? 10 : Math.floor((done * 10) / s.total)
          if (!force && step === s.lastPlainStep) return
          yield* Ref.update(state, (x) => ({ ...x, lastPlainStep: step }))
          write(`${describe(s, now)}\n`)
        }
      })
    return Progress.of({
      start: (label, total, done) =>
        Effect.gen(function* () {
          const now = yield* Clock.currentTimeMillis
          yield* Ref.set(state, { ...initial, label, total, resumed: done, startedAt: now, lastPlainStep: -1 })
          yield* draw(true)
        }),
      advance: (outcome, cached) =>
        Ref.update(state, (s) => ({
          ...s,
          ok: s.ok + (outcome === "ok" ? 1 : 0),
          error: s.error + (outcome === "error" ? 1 : 0),
          cached: s.cached + (cached ? 1 : 0)
        })).pipe(Effect.zipRight(draw(false))),
      finish: Effect.gen(function* () {
        const s = yield* Ref.get(state)
        const now = yield* Clock.currentTimeMillis
        if (live) write(`\r\x1b[K${describe(s, now)}\n`)
        else if (s.lastPlainStep !== 10) write(`${describe(s, now)}\n`)
      }),
      log: (line) => Effect.sync(() => write(live ? `\r\x1b[K${line}\n` : `${line}\n`))
    })
  })

/** A live line on stderr when it is a terminal, plain lines otherwise. */
export const layer = Layer.effect(
  Progress,
  Effect.suspend(() => make((t) => void process.stderr.write(t), process.stderr.isTTY === true))
)

/** Plain lines to the given writer (for tests and logs). */
export const layerPlain = (write: (text: string) => void) => Layer.effect(Progress, make(write, false))

/** No output. */
export const layerSilent = Layer.succeed(
  Progress,
  Progress.of({ start: () => Effect.void, advance: () => Effect.void, finish: Effect.void, log: () => Effect.void })
)
