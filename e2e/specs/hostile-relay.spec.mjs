// A hostile relay, for real: the app is connected to an EXTERNAL mock relay whose replies carry
// script, event-handler HTML, javascript:/data:/file:/smb: links, an image that would exfiltrate the
// chat, and result links to private addresses, an HTML page posing as a video, a 2 GiB "video" and a
// redirect to another host. Nothing may execute, nothing may open, no request may reach the
// exfiltration endpoint, the API key must never reach a hostile endpoint, and each card must say
// something sensible. (run.sh lets the app download from this loopback relay, so the download
// defences — magic bytes, size cap, cross-host redirect — are what refuse the files.)
import fs from "node:fs";
import path from "node:path";
import { expect } from "@wdio/globals";
import {
  assertNotDevBuild,
  byTestId,
  clearField,
  invoke,
  saveScreenshot,
  sendPrompt,
  startMockRelay,
  turnSel,
  turnState,
  typeInto,
  waitForAppReady,
} from "../helpers.mjs";
import { reportTrust } from "../trust-report.mjs";

const API_KEY = "sk-e2e-hostile-0123456789";
const REPORT = "e2e-hostile-relay";

/** The relay's record of requests to /exfil*, /private/* and /hostile/*. */
async function hits(relay) {
  const res = await fetch(`${relay.url}/__hits`);
  return (await res.json()).hits;
}

/** What a hostile page could have done: every sign that script ran or the app left its page. */
async function compromiseSigns() {
  const page = await browser.execute(() => ({
    pwned: Object.prototype.hasOwnProperty.call(window, "__pwned"),
    scripts: document.querySelectorAll('[data-testid="server-text"] script').length,
    handlers: [...document.querySelectorAll('[data-testid="server-text"] *')].filter((e) =>
      [...e.attributes].some((a) => a.name.startsWith("on")),
    ).length,
    images: document.querySelectorAll('[data-testid="server-text"] img').length,
    frames: document.querySelectorAll("iframe, object, embed").length,
    anchors: [...document.querySelectorAll('[data-testid="server-text"] a[href]')].map((a) => a.getAttribute("href")),
    href: location.href,
  }));
  const windows = (await browser.getWindowHandles()).length;
  return { ...page, windows };
}

function assertClean(signs, what) {
  const problems = [];
  if (signs.pwned) problems.push("window.__pwned was set");
  if (signs.scripts) problems.push(`${signs.scripts} <script> in server text`);
  if (signs.handlers) problems.push(`${signs.handlers} elements with on* handlers`);
  if (signs.images) problems.push(`${signs.images} <img> in server text`);
  if (signs.frames) problems.push(`${signs.frames} frames`);
  if (signs.anchors.length) problems.push(`live links: ${signs.anchors.join(", ")}`);
  if (!/^(tauri:\/\/localhost|https?:\/\/tauri\.localhost)/.test(signs.href)) problems.push(`the page is ${signs.href}`);
  if (signs.windows !== 1) problems.push(`${signs.windows} windows`);
  if (problems.length) throw new Error(`${what}: ${problems.join("; ")}`);
}

/** Waits until the turn is no longer running and its media are no longer downloading. */
async function waitSettled(turnId, timeout = 60_000) {
  let last = null;
  await browser.waitUntil(
    async () => {
      last = await turnState(turnId);
      const downloading = await browser.execute(
        (sel) => document.querySelector(sel) !== null,
        turnSel(turnId, "media-downloading"),
      );
      return last !== null && last.status !== "running" && !downloading;
    },
    { timeout, interval: 250, timeoutMsg: `turn ${turnId} did not settle` },
  );
  return last;
}

describe("a hostile relay", function () {
  this.bail(true);
  let relay = null;

  before(async () => {
    await assertNotDevBuild();
    relay = await startMockRelay({ apiKey: API_KEY, tickMs: 60 });
    await waitForAppReady();
    // The sentinel must start unset, or the checks below prove nothing.
    await expect(await browser.execute(() => "__pwned" in window)).toBe(false);
  });

  after(async () => {
    await relay?.stop();
  });

  it("connects with a key", async () => {
    await (await byTestId("welcome")).waitForDisplayed({ timeout: 30_000 });
    const url = await byTestId("connect-base-url");
    await clearField(url);
    await typeInto(url, relay.url);
    await typeInto(await byTestId("connect-api-key"), API_KEY);
    await (await byTestId("connect-save")).click();
    await (await byTestId("composer-input")).waitForDisplayed({ timeout: 20_000 });
  });

  // Each scenario in its own conversation; what the card must show once it settles.
  const CASES = [
    { tag: "hostile-html", expect: "video", what: "<script>, <img onerror>, <iframe> in the reply" },
    { tag: "hostile-links", expect: "video", what: "javascript:, data:, file:, smb: links" },
    { tag: "exfil-image", expect: "video", what: "a markdown image and link to an exfiltration URL" },
    { tag: "private-video", expect: "media-failed", what: "result links on private addresses" },
    { tag: "html-video", expect: "media-failed", what: "an HTML page served as video/mp4" },
    { tag: "huge-video", expect: "media-failed", what: "a 2 GiB video" },
    // Media links may redirect to a CDN on another host: followed (each hop re-checked), without the key.
    { tag: "redirect-auth", expect: "video", what: "a redirect to another host" },
  ];

  for (const c of CASES) {
    it(`[${c.tag}]: nothing runs, nothing opens, the card is sensible`, async () => {
      await (await byTestId("new-chat")).click();
      const turnId = await sendPrompt(`牛马跳舞 [${c.tag}]`);
      const state = await waitSettled(turnId);
      let lost = false;
      try {
        // The generation itself is fine: the task id and the reply are kept.
        expect(state.status).toBe("succeeded");
        expect(state.taskId).toMatch(/^task_/);
        assertClean(await compromiseSigns(), c.tag);
        if (c.expect === "video") {
          await $(turnSel(turnId, "video-player")).waitForExist({ timeout: 20_000 });
        } else {
          const note = await $(turnSel(turnId, "media-failed"));
          await note.waitForExist({ timeout: 20_000 });
          // A sentence for the user, not a stack trace; the links stay for the user to try.
          const text = (await note.getText()).trim();
          expect(text.length).toBeGreaterThan(5);
          expect(await $(turnSel(turnId, "video-player")).isExisting()).toBe(false);
        }
        // Dead links are inert: clicking them does nothing.
        for (const dead of await $$(`${turnSel(turnId)} .md-dead-link`)) await dead.click();
        assertClean(await compromiseSigns(), `${c.tag} after clicking its dead links`);
        await saveScreenshot(`hostile-${c.tag}`);
      } catch (e) {
        lost = true;
        throw e;
      } finally {
        reportTrust(REPORT, { category: "attack", name: c.tag, lost, detail: c.what });
      }
    });
  }

  it("the webview cannot be navigated away or open windows", async () => {
    await browser.execute(() => {
      try {
        window.open("https://evil.example/", "_blank");
      } catch {
        /* refused */
      }
      location.href = "https://evil.example/phish";
    });
    await browser.pause(1500);
    const signs = await compromiseSigns();
    let lost = false;
    try {
      assertClean(signs, "navigation attempt");
      await (await byTestId("composer-input")).waitForDisplayed({ timeout: 5_000 });
    } catch (e) {
      lost = true;
      throw e;
    } finally {
      reportTrust(REPORT, { category: "attack", name: "navigate-away", lost, detail: "location.href and window.open" });
    }
  });

  it("no request reached the exfiltration endpoint; the key never reached a hostile endpoint", async () => {
    const all = await hits(relay);
    const exfil = all.filter((h) => h.path.startsWith("/exfil"));
    const withKey = all.filter((h) => h.authorization || h.cookie);
    reportTrust(REPORT, {
      category: "attack",
      name: "exfiltration-endpoint",
      lost: exfil.length > 0,
      detail: `${exfil.length} requests to /exfil`,
    });
    reportTrust(REPORT, {
      category: "attack",
      name: "key-to-hostile-endpoints",
      lost: withKey.length > 0,
      detail: `${all.length} hostile-endpoint requests, ${withKey.length} with Authorization or Cookie`,
    });
    expect(exfil).toEqual([]);
    expect(withKey).toEqual([]);
    // The download defences were exercised for real: the app did ask for the hostile files.
    expect(all.some((h) => h.path.startsWith("/hostile/"))).toBe(true);
  });

  it("the key is nowhere on disk but its own file: not in history, settings, WebKit storage or logs", async () => {
    const profile = process.env.E2E_PROFILE_DIR;
    const found = [];
    let scanned = 0;
    const walk = (dir) => {
      for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
        const p = path.join(dir, entry.name);
        if (entry.isDirectory()) walk(p);
        else if (entry.isFile() && fs.statSync(p).size < 64 * 1024 * 1024) {
          scanned += 1;
          // The key's own 0600 file (REELCHAT_KEYRING=off) is the one place it may be.
          if (entry.name === "api-key") continue;
          if (fs.readFileSync(p).includes(API_KEY)) found.push(path.relative(profile, p));
        }
      }
    };
    walk(profile);
    // The app's own output (stdout/stderr through tauri-driver) too.
    const logDir = path.dirname(profile);
    for (const f of fs.readdirSync(logDir).filter((n) => n.startsWith("tauri-driver-"))) {
      scanned += 1;
      if (fs.readFileSync(path.join(logDir, f)).includes(API_KEY)) found.push(f);
    }
    reportTrust(REPORT, {
      category: "attack",
      name: "key-at-rest",
      lost: found.length > 0,
      detail: `${scanned} files scanned; key found in: ${found.join(", ") || "none"}`,
    });
    expect(scanned).toBeGreaterThan(3);
    expect(found).toEqual([]);
    // And the webview never holds it: not in its storage, not in what the settings command returns.
    const exposed = await browser.execute(
      (key) => JSON.stringify({ ...localStorage }).includes(key) || JSON.stringify({ ...sessionStorage }).includes(key),
      API_KEY,
    );
    expect(exposed).toBe(false);
    const settings = JSON.stringify(await invoke("get_settings"));
    expect(settings.includes(API_KEY)).toBe(false);
    expect(settings.includes(API_KEY.slice(6, 20))).toBe(false);
  });
});
