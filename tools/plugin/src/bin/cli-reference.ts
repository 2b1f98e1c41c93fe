/**
 * Writes docs/cli-reference.md from the CLI's command definitions (`npm run cli-reference -w @clinical-evals/plugin`).
 * With `--check`, writes nothing and exits 1 when the file is stale.
 */
import { Cli } from "@clinical-evals/cli"
import * as Effect from "effect/Effect"
import { existsSync, readFileSync, writeFileSync } from "node:fs"
import { fileURLToPath } from "node:url"
import { CliReference } from "../index.js"

const cliPkg = JSON.parse(readFileSync(new URL("../../../../apps/cli/package.json", import.meta.url), "utf8")) as { version: string }
const FILE = fileURLToPath(new URL("../../../../docs/cli-reference.md", import.meta.url))
const text = await Effect.runPromise(CliReference.render(Cli.commandTree(), { name: "clinical-evals", version: cliPkg.version }))
if (process.argv.includes("--check")) {
  if (!existsSync(FILE) || readFileSync(FILE, "utf8") !== text) {
    console.error(`${FILE} is stale: run npm run cli-reference -w @clinical-evals/plugin`)
    process.exitCode = 1
  }
} else {
  writeFileSync(FILE, text)
  console.log(`wrote ${FILE}`)
}
