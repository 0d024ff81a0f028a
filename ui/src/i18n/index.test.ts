import { describe, expect, it } from "vitest";
import { applyLanguage, initI18n, pickLanguage, resolveLanguage } from "./index";
import en from "./en";
import zhCN from "./zh-CN";

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

describe("resolveLanguage", () => {
  it("follows the system for 'system' and the setting otherwise", () => {
    expect(resolveLanguage("system", "zh-CN")).toBe("zh-CN");
    expect(resolveLanguage("system", "en-GB")).toBe("en");
    expect(resolveLanguage("en", "zh-CN")).toBe("en");
    expect(resolveLanguage("zh-CN", "en-US")).toBe("zh-CN");
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

  it("switches language from the settings", () => {
    const i18n = initI18n("zh-CN");
    applyLanguage("en");
    expect(i18n.language).toBe("en");
    expect(document.documentElement.lang).toBe("en");
    expect(i18n.t("composer.send")).toBe("Send");
    applyLanguage("zh-CN");
    expect(i18n.t("composer.send")).toBe("发送");
    expect(i18n.t("next.modify", { version: 2 })).toBe("将修改 v2");
  });
});

describe("catalogues", () => {
  function keys(obj: object, prefix = ""): string[] {
    return Object.entries(obj).flatMap(([k, v]) =>
      typeof v === "string" ? [`${prefix}${k}`] : keys(v as object, `${prefix}${k}.`),
    );
  }
  it("zh-CN and en have the same keys, none empty", () => {
    expect(keys(zhCN).sort()).toEqual(keys(en).sort());
    for (const k of keys(zhCN)) {
      const v = k.split(".").reduce<unknown>((o, p) => (o as Record<string, unknown>)[p], zhCN);
      expect(String(v).length, k).toBeGreaterThan(0);
    }
  });

  it("has a message for every error kind", () => {
    const kinds = ["auth", "quota", "rate_limited", "policy", "bad_request", "not_found", "server", "gateway", "network", "timeout", "protocol", "generation_failed", "cancelled", "invalid_input", "busy", "no_key", "disk_full", "read_only", "io", "download", "keychain"];
    for (const k of kinds) {
      expect(en.errors).toHaveProperty(k);
      expect(zhCN.errors).toHaveProperty(k);
    }
  });
});
