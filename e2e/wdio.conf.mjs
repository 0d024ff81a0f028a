// WebdriverIO config for the Tauri app. Run through ./run.sh, which starts Xvfb and tauri-driver
// and sets the env used here; running `npx wdio` by hand needs the same env.
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const here = path.dirname(fileURLToPath(import.meta.url));
const application = process.env.REELCHAT_APP_BINARY;
if (!application || !path.isAbsolute(application) || !fs.existsSync(application)) {
  throw new Error(`REELCHAT_APP_BINARY must be the absolute path of the app binary (got ${application ?? "nothing"})`);
}



export const config = {
  runner: "local",
  // tauri-driver's address; it starts WebKitWebDriver itself.
  hostname: "127.0.0.1",
  port: Number(process.env.TAURI_DRIVER_PORT ?? 4444),
  path: "/",
  specs: [path.join(here, "specs", "**", "*.spec.mjs")],
  maxInstances: 1,
  capabilities: [
    {
      browserName: "wry",
      // WebKitWebDriver has no WebDriver BiDi.
      "wdio:enforceWebDriverClassic": true,
      "tauri:options": { application },
    },
  ],
  logLevel: "warn",
  outputDir: process.env.E2E_LOG_DIR,
  bail: 0,
  waitforTimeout: 10_000,
  connectionRetryTimeout: 60_000,
  connectionRetryCount: 1,
  framework: "mocha",
  reporters: ["spec"],
  // Generous: a 2-core CI machine runs the app, WebKit and the driver at once.
  mochaOpts: { ui: "bdd", timeout: 180_000 },
};
