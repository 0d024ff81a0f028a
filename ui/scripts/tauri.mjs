#!/usr/bin/env node
// Runs the Tauri CLI for this repo's layout: the Tauri app lives in ../src-tauri, a sibling of
// this ui/ folder, which the CLI would not find on its own (it only looks below the current
// folder). Usage from ui/: `npm run tauri -- <command> [args]`, e.g.
//   npm run tauri -- build --debug --no-bundle
//   npm run tauri -- icon ../icons/source.png
import path from "node:path";
import { fileURLToPath } from "node:url";
import cli from "@tauri-apps/cli";

const uiDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
process.env.TAURI_APP_PATH ??= path.resolve(uiDir, "..", "src-tauri");
process.env.TAURI_FRONTEND_PATH ??= uiDir;

cli.run(process.argv.slice(2), "npm run tauri").catch((err) => {
  cli.logError(err instanceof Error ? err.message : String(err));
  process.exit(1);
});
