// Preloaded with `node --import` into a process the memory benchmark starts (the clinical-evals
// command): when the process exits, its peak resident set in MB is written to the file PEAK_RSS_FILE.
import { writeFileSync } from "node:fs"

const file = process.env["PEAK_RSS_FILE"]
if (file) process.on("exit", () => writeFileSync(file, String(process.resourceUsage().maxRSS / 1024)))
