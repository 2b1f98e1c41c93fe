export * as ScanCheck from "./ScanCheck.js"
