// Helpers shared by the e2e specs.
import fs from "node:fs";
import path from "node:path";
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
 * WebKitGTK's snapshot comes back blank (all one colour) for a moment after a page first renders,
 * even though the page is already on screen, so this retries until the image has content.
 */
export async function saveScreenshot(name, { timeoutMs = 10_000 } = {}) {
  const file = path.join(screenshotDir, `${name}.png`);
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
