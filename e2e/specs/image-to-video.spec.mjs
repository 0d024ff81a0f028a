// Image to video and the server's models, in the demo: the picker lists what the relay's
// GET /v1/models says; an image attached with the paperclip (run.sh's REELCHAT_TEST_PICK_IMAGE
// stands in for the native dialog: the spec writes the path there) is downscaled, shown as a
// chip, sent as a content array and shown on the bubble; a follow-up re-sends it byte for byte
// (the relay refuses a history whose image it did not receive); a relay that takes plain text
// only ("[reject-array]") gets a clear message. Screens in both languages and both themes.
import fs from "node:fs";
import path from "node:path";
import { PNG } from "pngjs";
import { expect } from "@wdio/globals";
import {
  assertNotDevBuild,
  byTestId,
  expectedUiLanguage,
  invoke,
  saveScreenshot,
  sendPrompt,
  startDemoFromWelcome,
  tid,
  turnSel,
  waitForAppReady,
  waitForTurnStatus,
} from "../helpers.mjs";

const PROFILE = process.env.E2E_PROFILE_DIR;
const PROMPT = "让图里的小船慢慢漂远";
const FOLLOW_UP = "加一点雨";
const REJECT = "让它动起来 [reject-array]";
const IMAGE_TEXT = {
  "zh-CN": { rejected: "服务器不接受带图片的消息", placeholder: "描述这张图片要怎样动起来…" },
  en: { rejected: "The server does not accept images in messages", placeholder: "Describe how the image should come to life…" },
};

/** A 2600×1600 picture (sky, sea, a sun and a boat): larger than the 2048 px limit. */
function writePicture(file) {
  const w = 2600;
  const h = 1600;
  const png = new PNG({ width: w, height: h });
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const i = (y * w + x) * 4;
      const sea = y > h * 0.6;
      let [r, g, b] = sea ? [30, 90 + (y % 40), 150] : [120 + (y * 100) / h, 170 + (y * 60) / h, 235];
      const sun = (x - w * 0.75) ** 2 + (y - h * 0.3) ** 2 < (h * 0.12) ** 2;
      if (sun) [r, g, b] = [250, 200, 80];
      const hull = y > h * 0.55 && y < h * 0.63 && x > w * 0.3 + (y - h * 0.55) * 2 && x < w * 0.5 - (y - h * 0.55) * 2;
      const sail = y > h * 0.3 && y < h * 0.55 && x > w * 0.4 && x < w * 0.4 + (y - h * 0.3) * 0.6;
      if (hull) [r, g, b] = [120, 60, 30];
      if (sail) [r, g, b] = [245, 245, 240];
      png.data[i] = r;
      png.data[i + 1] = g;
      png.data[i + 2] = b;
      png.data[i + 3] = 255;
    }
  }
  fs.writeFileSync(file, PNG.sync.write(png));
}

async function attachWithPaperclip() {
  await (await byTestId("attach-button")).click();
  const chip = await byTestId("attachment-chip");
  await chip.waitForDisplayed({ timeout: 30_000 });
  await browser.waitUntil(
    async () =>
      browser.execute(() => {
        const img = document.querySelector('[data-testid="attachment-thumb"]');
        return !!img && img.complete && img.naturalWidth > 0;
      }),
    { timeout: 10_000, timeoutMsg: "the thumbnail does not load" },
  );
  return chip;
}

/** Scrolls the turn's prompt bubble to the top of the message list. */
async function showBubble(turnId) {
  await browser.execute((sel) => document.querySelector(sel)?.scrollIntoView({ block: "start" }), turnSel(turnId));
}

async function bubbleImageLoaded(turnId) {
  await showBubble(turnId);
  await browser.waitUntil(
    async () =>
      browser.execute((sel) => {
        const img = document.querySelector(sel);
        return !!img && img.complete && img.naturalWidth > 0;
      }, turnSel(turnId, "user-image")),
    { timeout: 10_000, timeoutMsg: `the image on turn ${turnId}'s bubble does not load` },
  );
  // Loaded is not yet painted: WebKit decodes a large picture off the main thread and paints it
  // a few frames later. Wait for the decode, then two frames, so a screenshot shows it.
  await browser.executeAsync((sel, done) => {
    const img = document.querySelector(sel);
    const frames = () => requestAnimationFrame(() => requestAnimationFrame(() => done(true)));
    img.decode().then(frames, frames);
  }, turnSel(turnId, "user-image"));
}

describe("image to video and the server's models (demo)", function () {
  this.bail(true);
  let lang = expectedUiLanguage();
  const ids = { v1: null, v2: null, rejected: null, conversation: null };

  before(async () => {
    if (!PROFILE) throw new Error("E2E_PROFILE_DIR is not set (run through e2e/run.sh)");
    const picture = path.join(PROFILE, "boat.png");
    writePicture(picture);
    fs.writeFileSync(path.join(PROFILE, "pick-image"), picture);
    await assertNotDevBuild();
    await waitForAppReady();
    await startDemoFromWelcome();
  });

  it("the model picker lists the relay's models with friendly names", async () => {
    const picker = await byTestId("model-picker");
    await browser.waitUntil(async () => (await picker.$$("option")).length === 3, {
      timeout: 10_000,
      timeoutMsg: "the picker does not list the relay's three models",
    });
    const options = await browser.execute(() =>
      [...document.querySelectorAll('[data-testid="model-picker"] option')].map((o) => [o.value, o.textContent]),
    );
    const zh = lang === "zh-CN";
    expect(options).toEqual([
      ["sora-2", zh ? "sora-2 · 标准 · 10 秒" : "sora-2 · Standard · 10 s"],
      ["sora-2-pro", zh ? "sora-2-pro · 高清 · 15 秒" : "sora-2-pro · HD · 15 s"],
      ["sora-2-hd", "sora-2-hd"],
    ]);
    await expect(picker).toHaveAttribute("data-fallback", "false");
  });

  it("the paperclip attaches a downscaled image as a chip", async () => {
    const chip = await attachWithPaperclip();
    await expect(chip).toHaveText(expect.stringContaining("2048 × 1260"));
    await expect(await byTestId("composer-input")).toHaveAttribute("placeholder", IMAGE_TEXT[lang].placeholder);
    await saveScreenshot("image-attached");
  });

  it("sends the image with the prompt; the bubble shows it; the video comes", async () => {
    ids.v1 = await sendPrompt(PROMPT);
    await expect(await byTestId("attachment-chip")).not.toBeExisting();
    await bubbleImageLoaded(ids.v1);
    const s = await waitForTurnStatus(ids.v1, "succeeded", { timeout: 90_000 });
    expect(s.version).toBe("1");
    await bubbleImageLoaded(ids.v1);
    await saveScreenshot("image-to-video");
    ids.conversation = await (await byTestId("conversation-item")).getAttribute("data-id");
    const conv = await invoke("get_conversation", { id: ids.conversation });
    const turn = conv.turns.find((t) => t.id === ids.v1);
    expect(turn.image.file).toBe(`${ids.conversation}/${ids.v1}-input.jpg`);
    expect([turn.image.width, turn.image.height]).toEqual([2048, 1260]);
  });

  it("a text follow-up re-sends the image byte for byte (the relay checks) and makes v2", async () => {
    ids.v2 = await sendPrompt(FOLLOW_UP);
    const s = await waitForTurnStatus(ids.v2, "succeeded", { timeout: 90_000 });
    expect(s.version).toBe("2");
    expect(s.remixOf).not.toBeNull();
  });

  it("a relay that takes plain text only gets a clear message", async () => {
    await (await byTestId("new-chat")).click();
    await (await byTestId("empty-chat")).waitForDisplayed({ timeout: 10_000 });
    await attachWithPaperclip();
    ids.rejected = await sendPrompt(REJECT);
    const s = await waitForTurnStatus(ids.rejected, "failed", { timeout: 30_000 });
    expect(s.errorKind).toBe("image_rejected");
    expect(s.errorText).toContain(IMAGE_TEXT[lang].rejected);
    await bubbleImageLoaded(ids.rejected);
    await saveScreenshot("image-rejected");
  });

  it("the same screens in the other language, dark", async () => {
    const other = lang === "zh-CN" ? "en" : "zh-CN";
    await invoke("update_settings", { patch: { language: other, theme: "dark" } });
    await browser.reloadSession();
    await waitForAppReady();
    await browser.waitUntil(async () => (await browser.execute(() => document.documentElement.lang)) === other, {
      timeout: 10_000,
      timeoutMsg: `the app did not switch to ${other}`,
    });
    lang = other;
    const suffix = other === "en" ? "dark-en" : "dark-zh";
    // The rejected conversation is the newest: it opens first in the sidebar.
    await browser.waitUntil(async () => (await $$(tid("conversation-item"))).length >= 2, {
      timeout: 10_000,
      timeoutMsg: "the sidebar does not list both conversations",
    });
    await (await $$(tid("conversation-item")))[0].click();
    await waitForTurnStatus(ids.rejected, "failed", { timeout: 10_000 });
    const s = await browser.execute((sel) => document.querySelector(sel)?.textContent ?? "", turnSel(ids.rejected, "error-message"));
    expect(s).toContain(IMAGE_TEXT[other].rejected);
    await bubbleImageLoaded(ids.rejected);
    await attachWithPaperclip();
    await expect(await byTestId("composer-input")).toHaveAttribute("placeholder", IMAGE_TEXT[other].placeholder);
    await saveScreenshot(`image-rejected-${suffix}`);
    // The first conversation: the image on v1's bubble, and the two versions.
    await (await $$(tid("conversation-item")))[1].click();
    await waitForTurnStatus(ids.v2, "succeeded", { timeout: 10_000 });
    await bubbleImageLoaded(ids.v1);
    await saveScreenshot(`image-to-video-${suffix}`);
  });
});
