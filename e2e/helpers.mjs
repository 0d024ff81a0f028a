// Helpers shared by the e2e specs.
import { spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import readline from "node:readline";
import { PNG } from "pngjs";

export const screenshotDir = process.env.E2E_SCREENSHOT_DIR ?? path.resolve("screenshots");

/** The UI language the app should pick for the LANG that run.sh gave it (same rule as ui/src/i18n). */
export function expectedUiLanguage(lang = process.env.E2E_LANG ?? "") {
  return lang.toLowerCase().startsWith("zh") ? "zh-CN" : "en";
}

/** True when every pixel of the PNG has the same colour (a page WebKit has not painted yet). */
export function isUniformPng(buffer) {
  const png = PNG.sync.read(buffer);
  const data = png.data;
  for (let i = 4; i < data.length; i += 4) {
    if (
      data[i] !== data[0] ||
      data[i + 1] !== data[1] ||
      data[i + 2] !== data[2] ||
      data[i + 3] !== data[3]
    ) {
      return false;
    }
  }
  return true;
}

/**
 * Saves a WebDriver screenshot of the window as screenshots/NAME.png once WebKit has painted it.
 * Returns the file; throws if it stays blank.
 * WebKitGTK's snapshot comes back blank (all one colour) for a moment after a page first renders,
 * even though the page is already on screen, so this retries until the image has content.
 */
export async function saveScreenshot(name, { timeoutMs = 10_000 } = {}) {
  // E2E_SCREENSHOT_SUFFIX (e.g. "-en") keeps the screenshots of another run apart.
  const file = path.join(screenshotDir, `${name}${process.env.E2E_SCREENSHOT_SUFFIX ?? ""}.png`);
  fs.mkdirSync(screenshotDir, { recursive: true });
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    // Let a couple of frames go by first.
    await browser.execute(
      () => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(() => resolve(true)))),
    );
    const png = Buffer.from(await browser.takeScreenshot(), "base64");
    if (!isUniformPng(png)) {
      fs.writeFileSync(file, png);
      return file;
    }
    if (Date.now() > deadline) {
      fs.writeFileSync(file, png);
      throw new Error(`screenshot ${file} is blank after ${timeoutMs} ms`);
    }
    await browser.pause(200);
  }
}

// ---------------------------------------------------------------------------------------------
// Shared by the ReelChat specs.

/** The UI texts the specs look for, in both languages (ui/src/i18n/{en,zh-CN}.ts). */
export const TEXT = {
  en: {
    welcomeHeading: "Make videos by chatting",
    tryDemo: "Try the demo",
    demo: "Demo",
    emptyTitle: "What video should we make?",
    noSelectionTitle: "Start a new video",
    newVideo: "Will make a new video",
    modify: (v) => `Will change v${v}`,
    remixOf: (v) => `Remix of v${v}`,
    cancelled: "Stopped.",
    interrupted: "Interrupted",
    authError: "The API key is invalid or expired.",
    settingsTitle: "Settings",
    connected: /^Connected\./,
    checkStatus: "Check status",
    send: "Send",
  },
  "zh-CN": {
    welcomeHeading: "聊着天，做视频",
    tryDemo: "试用演示",
    demo: "演示",
    emptyTitle: "想做一段什么样的视频？",
    noSelectionTitle: "开始制作新视频",
    newVideo: "将生成新视频",
    modify: (v) => `将修改 v${v}`,
    remixOf: (v) => `基于 v${v} 修改`,
    cancelled: "已停止。",
    interrupted: "已中断",
    authError: "API 密钥无效或已过期。",
    settingsTitle: "设置",
    connected: /^连接成功/,
    checkStatus: "检查状态",
    send: "发送",
  },
};

/** The texts for the language the app should show under E2E_LANG. */
export function texts() {
  return TEXT[expectedUiLanguage()];
}

/** `[data-testid="ID"]`, optionally with more CSS after it. */
export function tid(id, more = "") {
  return `[data-testid="${id}"]${more}`;
}

/** The element with this test id (first match). */
export function byTestId(id, more = "") {
  return $(tid(id, more));
}

/**
 * Calls a Tauri command from the page (window.__TAURI_INTERNALS__.invoke) and returns its value;
 * throws with the command's error. (No `error` key in the result: WebdriverIO would take it for a
 * WebDriver error.)
 */
export async function invoke(cmd, args = {}) {
  const res = await browser.execute(
    (c, a) =>
      window.__TAURI_INTERNALS__
        .invoke(c, a)
        .then((value) => ({ ok: true, value }))
        .catch((e) => ({ ok: false, failure: typeof e === "string" ? e : JSON.stringify(e) })),
    cmd,
    args,
  );
  if (!res.ok) throw new Error(`invoke ${cmd} failed: ${res.failure}`);
  return res.value;
}

/** Fails early when the app is a dev build (it loads the Vite dev server, i.e. a blank page). */
export async function assertNotDevBuild() {
  const url = await browser.getUrl();
  if (url.startsWith("http://localhost:5173")) {
    throw new Error(
      `the app loaded ${url}: this is a dev build; build the test binary with ` +
        "`npm run tauri -- build --debug --no-bundle` in ui/",
    );
  }
}

/** The page's language is the one E2E_LANG asks for. */
export async function assertUiLanguage() {
  const want = expectedUiLanguage();
  await browser.waitUntil(async () => (await browser.execute(() => document.documentElement.lang)) === want, {
    timeout: 10_000,
    timeoutMsg: `document.documentElement.lang is not ${want}`,
  });
}

/** Waits for the first screen after start-up: the welcome screen or the main layout. */
export async function waitForAppReady(timeout = 30_000) {
  await browser.waitUntil(
    async () => (await $(tid("welcome")).isExisting()) || (await $(tid("new-chat")).isExisting()),
    { timeout, interval: 100, timeoutMsg: "neither the welcome screen nor the chat screen appeared" },
  );
}

/** Welcome screen → "try the demo" → the chat screen with the demo badge. */
export async function startDemoFromWelcome() {
  const welcome = await byTestId("welcome");
  await welcome.waitForDisplayed({ timeout: 30_000 });
  await (await byTestId("try-demo")).click();
  await (await byTestId("demo-badge")).waitForDisplayed({ timeout: 20_000 });
  await (await byTestId("composer-input")).waitForDisplayed({ timeout: 10_000 });
}

// WebKitWebDriver under Xvfb drops the Shift of characters typed through Element Send Keys or
// the key actions ("A" arrives as "a", ":" as ";", "?" as "/"), while an explicit Shift key held
// down works. So those characters are typed as Shift + the unshifted key (US layout).
const SHIFTED = {
  "~": "`", "!": "1", "@": "2", "#": "3", "$": "4", "%": "5", "^": "6", "&": "7", "*": "8",
  "(": "9", ")": "0", "_": "-", "+": "=", "{": "[", "}": "]", "|": "\\", ":": ";", '"': "'",
  "<": ",", ">": ".", "?": "/",
};
function unshifted(ch) {
  if (ch >= "A" && ch <= "Z") return ch.toLowerCase();
  return SHIFTED[ch] ?? null;
}

/**
 * Types TEXT at the end of a text field with real key events (it clicks the field first), then
 * checks that the field holds exactly what it held before plus TEXT.
 */
export async function typeInto(element, text) {
  await element.click();
  const before = await element.getValue();
  let run = "";
  const flush = async () => {
    if (run) await element.addValue(run);
    run = "";
  };
  for (const ch of text) {
    const base = unshifted(ch);
    if (base === null) {
      run += ch;
    } else {
      await flush();
      await browser.keys(["Shift", base]);
    }
  }
  await flush();
  const want = before + text;
  await browser
    .waitUntil(async () => (await element.getValue()) === want, { timeout: 5_000, interval: 100 })
    .catch(async () => {
      throw new Error(`typed ${JSON.stringify(text)} but the field holds ${JSON.stringify(await element.getValue())}`);
    });
}

/** Empties a text field with real key events (select all, Delete). */
export async function clearField(element) {
  await element.click();
  await browser.keys(["Control", "a"]);
  await browser.keys("Delete");
  await browser.waitUntil(async () => (await element.getValue()) === "", {
    timeout: 5_000,
    interval: 100,
    timeoutMsg: "the field did not empty",
  });
}

/**
 * Types PROMPT into the composer with real key events and sends it with the Enter key.
 * Returns the turn element that appeared for it (the last turn).
 */
export async function sendPrompt(prompt, { timeout = 20_000 } = {}) {
  const before = await turnIds();
  const input = await byTestId("composer-input");
  await input.waitForEnabled({ timeout: 10_000 });
  await clearField(input);
  await typeInto(input, prompt);
  await browser.keys("Enter");
  let turnId = null;
  await browser.waitUntil(
    async () => {
      const ids = await turnIds();
      turnId = ids.find((id) => !before.includes(id)) ?? null;
      return turnId !== null;
    },
    { timeout, interval: 100, timeoutMsg: `no new turn appeared after sending "${prompt}"` },
  );
  return turnId;
}

/** The data-turn-id of every turn shown, in order. */
export async function turnIds() {
  return browser.execute(() =>
    [...document.querySelectorAll('[data-testid="turn"]')].map((e) => e.getAttribute("data-turn-id")),
  );
}

/** A selector for the turn with this id, and optionally a test id inside it. */
export function turnSel(turnId, inner = null) {
  const base = `[data-testid="turn"][data-turn-id="${turnId}"]`;
  return inner ? `${base} [data-testid="${inner}"]` : base;
}

/** The attributes and texts of one turn, read in one round trip. */
export async function turnState(turnId) {
  return browser.execute((sel) => {
    const el = document.querySelector(sel);
    if (!el) return null;
    const q = (id) => el.querySelector(`[data-testid="${id}"]`);
    const text = (id) => q(id)?.textContent?.trim() ?? null;
    const progress = q("progress");
    const err = q("error-message");
    return {
      status: el.getAttribute("data-status"),
      version: el.getAttribute("data-version"),
      taskId: text("task-id"),
      progress: progress ? Number(progress.getAttribute("aria-valuenow")) : null,
      steps: {
        queued: q("step-queued")?.getAttribute("data-state") ?? null,
        generating: q("step-generating")?.getAttribute("data-state") ?? null,
        done: q("step-done")?.getAttribute("data-state") ?? null,
      },
      errorKind: err?.getAttribute("data-kind") ?? null,
      errorText: err?.textContent?.trim() ?? null,
      remixOf: text("remix-of"),
      hasVideo: q("video-player") !== null,
      hasCheckStatus: q("check-status") !== null,
      hasRetry: q("retry") !== null,
      hasContinue: q("continue-from-here") !== null,
      status_chip: text("reply-status"),
    };
  }, turnSel(turnId));
}

/** Waits until the turn has finished (data-status is no longer running), then checks it is STATUS. */
export async function waitForTurnStatus(turnId, status, { timeout = 60_000 } = {}) {
  let last = null;
  await browser
    .waitUntil(
      async () => {
        last = await turnState(turnId);
        return last !== null && last.status !== "running";
      },
      { timeout, interval: 200, timeoutMsg: `turn ${turnId} did not finish` },
    )
    .catch((e) => {
      throw new Error(`${e.message}; last state ${JSON.stringify(last)}`);
    });
  if (last.status !== status) {
    throw new Error(`turn ${turnId} ended ${last.status}, not ${status}: ${JSON.stringify(last)}`);
  }
  return last;
}

/**
 * Checks that the turn's <video> plays the LOCAL copy: its source is under the app's media
 * server (media_base_url), and after play() (muted) it loads (readyState ≥ 2) and currentTime advances.
 */
/**
 * Clicks a button in the message list once the list has stopped scrolling (opening a chat, or a
 * version from the library, scrolls it as rows are measured): a click during that scroll lands on
 * whatever moved under the pointer. Re-clicks once if `opened` does not appear.
 */
export async function clickInSettledList(selector, opened, { timeout = 10_000 } = {}) {
  const position = () =>
    browser.execute(() => document.querySelector('[data-testid="message-list"]')?.scrollTop ?? 0);
  for (let attempt = 0; attempt < 2; attempt++) {
    const button = await $(selector);
    await button.waitForExist({ timeout, timeoutMsg: `no ${selector}` });
    await button.scrollIntoView({ block: "center" });
    let last = await position();
    let still = 0;
    await browser.waitUntil(
      async () => {
        const now = await position();
        still = Math.abs(now - last) < 1 ? still + 1 : 0;
        last = now;
        return still >= 5;
      },
      { timeout, interval: 100, timeoutMsg: "the message list keeps scrolling" },
    );
    await button.scrollIntoView({ block: "center" });
    await button.click();
    const shown = await (await $(opened)).waitForDisplayed({ timeout: attempt === 0 ? 5_000 : timeout }).catch(() => false);
    if (shown) return;
  }
  throw new Error(`${opened} not displayed after clicking ${selector} twice`);
}

export async function assertVideoPlaysLocally(turnId, { timeout = 30_000 } = {}) {
  const mediaBase = await invoke("media_base_url");
  if (!/^http:\/\/127\.0\.0\.1:\d+\//.test(mediaBase)) {
    throw new Error(`media_base_url is not a loopback http URL: ${mediaBase}`);
  }
  const frame = turnSel(turnId, "video-player");
  await $(frame).waitForExist({ timeout, timeoutMsg: `turn ${turnId} shows no video` });
  // The local copy may still be downloading: the card then plays the remote link, and switches
  // to the local copy when it is saved. `data-src` is what the card plays (or will play).
  let info = null;
  await browser.waitUntil(
    async () => {
      info = await browser.execute((s) => document.querySelector(s)?.dataset.src ?? null, frame);
      return info !== null && info.startsWith(mediaBase);
    },
    {
      timeout,
      interval: 200,
      timeoutMsg: `the video of turn ${turnId} does not load from ${mediaBase}`,
    },
  ).catch((e) => {
    throw new Error(`${e.message}; card source ${JSON.stringify(info)}`);
  });
  // Until played, a card is its poster and a play button (no <video>): play it as a user does.
  const playButton = await $(turnSel(turnId, "video-play"));
  if (await playButton.isExisting()) {
    await playButton.scrollIntoView({ block: "center" });
    await playButton.click();
  }
  const sel = `${frame} video`;
  await $(sel).waitForExist({ timeout, timeoutMsg: `turn ${turnId}: no <video> after its play button` });
  const start = await browser.execute(async (s) => {
    const v = document.querySelector(s);
    v.muted = true;
    // The play button already started the clip (autoplay); on a slow run a 3-second clip can
    // reach its end before this check, and an ended video does not advance. Rewind first.
    v.pause();
    v.currentTime = 0;
    try {
      await v.play();
      return { played: true, t: v.currentTime, src: v.currentSrc || v.src };
    } catch (e) {
      return { played: false, why: String(e), t: v.currentTime, src: v.currentSrc || v.src };
    }
  }, sel);
  if (!start.src.startsWith(mediaBase)) throw new Error(`the <video> plays ${start.src}, not the local copy`);
  if (!start.played) throw new Error(`play() was refused: ${start.why}`);
  await browser.waitUntil(
    async () => (await browser.execute((s) => document.querySelector(s).readyState, sel)) >= 2,
    { timeout, interval: 200, timeoutMsg: `the video of turn ${turnId} does not load from ${mediaBase}` },
  );
  await browser.waitUntil(
    async () =>
      browser.execute(
        (s, t0) => {
          const v = document.querySelector(s);
          // Played to its end since the check began also counts as playing.
          return v.currentTime > t0 + 0.2 || (v.ended && v.currentTime > t0);
        },
        sel,
        start.t,
      ),
    { timeout: 15_000, interval: 200, timeoutMsg: `the video of turn ${turnId} does not advance after play()` },
  );
  const end = await browser.execute((s) => {
    const v = document.querySelector(s);
    v.pause();
    return { src: v.currentSrc, readyState: v.readyState, currentTime: v.currentTime, duration: v.duration };
  }, sel);
  return { mediaBase, ...end };
}

/** The app's data folder (conversations/, media/) in this spec's profile. */
export function appDataDir() {
  const profile = process.env.E2E_PROFILE_DIR;
  if (!profile) throw new Error("E2E_PROFILE_DIR is not set (run the specs through e2e/run.sh)");
  return path.join(profile, "data", "app.reelchat.desktop");
}

/** The stored conversations (conversations/*.json), parsed. */
export function storedConversations() {
  const dir = path.join(appDataDir(), "conversations");
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir)
    .filter((f) => f.endsWith(".json"))
    .map((f) => JSON.parse(fs.readFileSync(path.join(dir, f), "utf8")));
}

/** Parent pid of every process, from /proc. */
function processTable() {
  const table = new Map();
  for (const entry of fs.readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${entry}/stat`, "utf8");
      // pid (comm) state ppid …; comm may hold spaces and parentheses.
      const rest = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      let exe = null;
      try {
        exe = fs.readlinkSync(`/proc/${entry}/exe`);
      } catch {
        // a kernel thread, or not ours
      }
      table.set(Number(entry), { ppid: Number(rest[1]), state: rest[0], exe });
    } catch {
      // gone meanwhile
    }
  }
  return table;
}

/**
 * The pid of the app started for this spec: a process running the app binary that descends from
 * this spec's tauri-driver (E2E_DRIVER_PID, set by run.sh). Exactly one, or it throws.
 */
export function appPid() {
  const driver = Number(process.env.E2E_DRIVER_PID);
  const binary = fs.realpathSync(process.env.REELCHAT_APP_BINARY);
  if (!driver) throw new Error("E2E_DRIVER_PID is not set (run the specs through e2e/run.sh)");
  const table = processTable();
  const descends = (pid) => {
    for (let p = pid, n = 0; p > 1 && n < 64; n++) {
      p = table.get(p)?.ppid ?? 0;
      if (p === driver) return true;
    }
    return false;
  };
  const pids = [...table.entries()]
    .filter(([pid, p]) => p.state !== "Z" && p.exe && p.exe.replace(/ \(deleted\)$/, "") === binary && descends(pid))
    .map(([pid]) => pid);
  if (pids.length !== 1) {
    throw new Error(`expected one app process under tauri-driver ${driver}, found ${JSON.stringify(pids)}`);
  }
  return pids[0];
}

/** True while the process exists and is not a zombie. */
export function processAlive(pid) {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2)[0] !== "Z";
  } catch {
    return false;
  }
}

/**
 * Starts the mock relay binary (REELCHAT_MOCK_RELAY) on a free port; resolves once it prints
 * `listening on URL`. Returns { url, pid, stop() }.
 */
export async function startMockRelay({ apiKey, tickMs = 150, extraArgs = [] } = {}) {
  const bin = process.env.REELCHAT_MOCK_RELAY;
  if (!bin || !fs.existsSync(bin)) throw new Error(`REELCHAT_MOCK_RELAY is not a file: ${bin}`);
  const args = ["--port", "0", "--tick-ms", String(tickMs), ...(apiKey ? ["--api-key", apiKey] : []), ...extraArgs];
  const child = spawn(bin, args, { stdio: ["ignore", "pipe", "pipe"] });
  // Never outlive the test worker, even when a spec fails before its after() hook.
  const reap = () => child.kill("SIGKILL");
  process.once("exit", reap);
  child.once("exit", () => process.off("exit", reap));
  let stderr = "";
  child.stderr.on("data", (d) => {
    stderr += d;
  });
  const url = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the mock relay did not start: ${stderr}`)), 15_000);
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`the mock relay exited (${code}): ${stderr}`));
    });
    readline.createInterface({ input: child.stdout }).on("line", (line) => {
      const m = /^listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(line.trim());
      if (m) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    });
  });
  const exited = new Promise((resolve) => {
    if (child.exitCode !== null) resolve();
    else child.once("exit", () => resolve());
  });
  return {
    url,
    pid: child.pid,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill("SIGTERM");
        const timer = setTimeout(() => child.kill("SIGKILL"), 5_000);
        await exited;
        clearTimeout(timer);
      }
    },
  };
}
