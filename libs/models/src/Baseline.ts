import { type ChatMessage, LanguageModel, type Task } from "@clinical-evals/core"
import * as Schema from "effect/Schema"

/**
 * The built-in baselines: `overlap` picks the option sharing the most content words with the case,
 * `first` always picks the first option.
 *
 * @since 0.1.0
 */
export const BaselineName = Schema.Literal("overlap", "first")
export type BaselineName = typeof BaselineName.Type

/** The baseline names, in the order they are offered. */
export const names: ReadonlyArray<BaselineName> = BaselineName.literals

/** What each baseline does, for `info` and for help texts. */
export const descriptions: Record<BaselineName, string> = {
  overlap: "picks the option sharing the most content words with the case (ties: the earliest letter)",
  first: "always picks the first option"
}

/** One lettered option of a multiple-choice prompt. */
export interface LetteredOption {
  readonly letter: string
  readonly text: string
}

/** A multiple-choice prompt taken apart: its options, and everything else as the case. */
export interface ParsedPrompt {
  readonly options: ReadonlyArray<LetteredOption>
  readonly caseText: string
}

/**
 * What a baseline answers when the prompt has no lettered options. It names no option, so a task
 * scores it as unparsed.
 */
export const NO_OPTIONS_REPLY = "No lettered options were found in the prompt, so no choice is made."

const OPTION_LINE = /^\s*\(?([A-J])[.)]\s+(\S.*?)\s*$/

/**
 * Finds the lettered options (`A. text`, `A) text` or `(A) text`, letters A–J, in order from A) in a
 * prompt. When several runs start at A, the last one (with at least two options) is taken: options come
 * after the case. The other lines are the case.
 *
 * @since 0.1.0
 */
export const parsePrompt = (text: string): ParsedPrompt => {
  const lines = text.split(/\r?\n/)
  const runs: Array<Array<LetteredOption & { readonly line: number }>> = []
  let current: Array<LetteredOption & { readonly line: number }> = []
  lines.forEach((line, i) => {
    const m = OPTION_LINE.exec(line)
    if (!m) return
    const letter = m[1]!
    const option = { letter, text: m[2]!, line: i }
    const last = current.at(-1)
    if (letter === "A") {
      if (current.length >= 2) runs.push(current)
      current = [option]
    } else if (last && letter.charCodeAt(0) === last.letter.charCodeAt(0) + 1) {
      current.push(option)
    }
  })
  if (current.length >= 2) runs.push(current)
  const chosen = runs.at(-1) ?? []
  const optionLines = new Set(chosen.map((o) => o.line))
  return {
    options: chosen.map(({ letter, text }) => ({ letter, text })),
    caseText: lines.filter((_, i) => !optionLines.has(i)).join("\n")
  }
}

const STOP_WORDS = new Set(
  (
    "the and for with that this from was were are has have had his her hers him she they them their its not but " +
    "who whom whose which what when where why how all any each few more most other some such only own same than " +
    "too very can will would should could may might must shall into onto over under after before about above below " +
    "between during also then there these those been being does did doing our ours your yours you one two per " +
    "answer letter line option options question following best likely next end"
  ).split(" ")
)

/**
 * The distinct content words of a text: lowercased alphanumeric tokens of at least three characters,
 * minus a small list of stop words (and the words of the usual answer instructions).
 *
 * @since 0.1.0
 */
export const contentWords = (text: string): ReadonlySet<string> =>
  new Set((text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []).filter((w) => w.length >= 3 && !STOP_WORDS.has(w)))

/**
 * The option sharing the most distinct content words with the case; ties go to the earliest letter.
 *
 * @since 0.1.0
 */
export const chooseByOverlap = (
  parsed: ParsedPrompt
): { readonly option: LetteredOption; readonly shared: number } | null => {
  const caseWords = contentWords(parsed.caseText)
  let best: { option: LetteredOption; shared: number } | null = null
  for (const option of parsed.options) {
    let shared = 0
    for (const w of contentWords(option.text)) if (caseWords.has(w)) shared++
    if (best === null || shared > best.shared) best = { option, shared }
  }
  return best
}

/**
 * A baseline's reply to a prompt: `Answer: X` and a one-line reason that names no option, or
 * {@link NO_OPTIONS_REPLY}.
 *
 * @since 0.1.0
 */
export const reply = (name: BaselineName, messages: ReadonlyArray<ChatMessage.ChatMessage>): string => {
  const lastUser = [...messages].reverse().find((m) => m.role === "user")
  const parsed = parsePrompt(lastUser?.content ?? "")
  if (parsed.options.length === 0) return NO_OPTIONS_REPLY
  if (name === "first") {
    return `Answer: ${parsed.options[0]!.letter}\nReason: the first option is always chosen (position floor, no clinical reasoning).`
  }
  const best = chooseByOverlap(parsed)!
  return (
    `Answer: ${best.option.letter}\nReason: this option shares the most content words (${best.shared}) with the case ` +
    `(word-overlap floor, no clinical reasoning).`
  )
}

/**
 * A baseline model: deterministic, instant, no server. Not cacheable (recomputing is cheaper than a
 * cache lookup), no digest.
 *
 * @since 0.1.0
 */
export const make = (name: BaselineName): LanguageModel.LanguageModelShape =>
  fromReply(name, descriptions[name], (messages) => reply(name, messages))

/**
 * A baseline from any deterministic reply function: how a task's own baselines (`Task.baselines`)
 * become ordinary providers.
 *
 * @since 0.1.0
 */
export const fromReply = (
  name: string,
  description: string,
  replyTo: (messages: ReadonlyArray<ChatMessage.ChatMessage>) => string
): LanguageModel.LanguageModelShape => LanguageModel.fromReply(`baseline:${name}`, replyTo, { description })

/** The name under which a task's own default baseline is also served: `baseline:task`. */
export const TASK = "task"

/**
 * A task's own default baseline (its `defaultModel` when that is a baseline, else `baseline:overlap`),
 * to serve as `baseline:task`: a floor that means something on every task, where a single built-in
 * baseline reads only lettered options.
 *
 * @since 0.1.0
 */
export const taskDefault = (task: Task.AnyTask): Task.TaskBaseline => {
  const name = (task.defaultModel ?? "baseline:overlap").replace(/^baseline:/, "")
  const own = task.baselines?.[name]
  if (own !== undefined) return { description: `${task.name}'s own baseline (baseline:${name}): ${own.description}`, reply: own.reply }
  const builtIn: BaselineName = Schema.is(BaselineName)(name) ? name : "overlap"
  return { description: `baseline:${builtIn}: ${descriptions[builtIn]}`, reply: (messages) => reply(builtIn, messages) }
}

/** A task's baselines, with its default one also served as `baseline:task`. */
export const ofTask = (task: Task.AnyTask): Record<string, Task.TaskBaseline> => ({
  ...task.baselines,
  [TASK]: taskDefault(task)
})
