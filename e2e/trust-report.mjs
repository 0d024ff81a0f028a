// Appends the e2e layer's lines to the trust report that scripts/trust-summary totals:
// ${REELCHAT_TRUST_REPORT_DIR:-$CARGO_TARGET_DIR/trust-report}/<file>.jsonl, one JSON object per line
// {"layer":"e2e","category":"attack"|"fault"|"bad_input","name":…,"lost":bool,"detail":…}.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

export function trustReportDir() {
  const dir = process.env.REELCHAT_TRUST_REPORT_DIR;
  if (dir) return dir;
  const target = process.env.CARGO_TARGET_DIR || path.join(os.homedir(), ".cache/reelchat/target");
  return path.join(target, "trust-report");
}

export function reportTrust(file, { category, name, lost, detail = "" }) {
  const dir = trustReportDir();
  fs.mkdirSync(dir, { recursive: true });
  const line = JSON.stringify({ layer: "e2e", category, name, lost, detail });
  fs.appendFileSync(path.join(dir, `${file}.jsonl`), `${line}\n`);
}
