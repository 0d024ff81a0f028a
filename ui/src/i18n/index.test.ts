import { describe, expect, it } from "vitest";
import { initI18n, pickLanguage } from "./index";

describe("pickLanguage", () => {
  it("maps every zh* tag to zh-CN", () => {
    for (const tag of ["zh", "zh-CN", "zh-TW", "zh-Hans-CN", "ZH-hk", " zh-SG "]) {
      expect(pickLanguage(tag)).toBe("zh-CN");
    }
  });

  it("falls back to en for other or missing tags", () => {
    for (const tag of ["en-US", "en", "fr-FR", "ja-JP", "", undefined, null]) {
      expect(pickLanguage(tag)).toBe("en");
    }
  });
});

describe("initI18n", () => {
  it("serves the picked language's strings", () => {
    const i18n = initI18n("zh-CN");
    expect(i18n.language).toBe("zh-CN");
    expect(i18n.t("app.ready")).toBe("准备就绪。与模型聊天来制作视频。");
    expect(i18n.getFixedT("en")("app.version", { version: "1.2.3" })).toBe("Version 1.2.3");
    expect(document.documentElement.lang).toBe("zh-CN");
  });
});
