import * as Schema from "effect/Schema"

/**
 * One message of a chat prompt, as every provider takes it.
 *
 * @since 0.1.0
 */
export class ChatMessage extends Schema.Class<ChatMessage>("ChatMessage")({
  role: Schema.Literal("system", "user", "assistant"),
  content: Schema.String
}) {}

/** Shorthand constructors used by prompt builders. */
export const system = (content: string) => new ChatMessage({ role: "system", content })
export const user = (content: string) => new ChatMessage({ role: "user", content })
export const assistant = (content: string) => new ChatMessage({ role: "assistant", content })
