import { beforeAll, describe, expect, it } from "vitest";
import type { TFunction } from "i18next";
import { initI18n } from "../i18n";
import type { ErrorKind } from "../api/types";
import { APP_CLOSED_MESSAGE, failureDetail } from "./errorText";

let t: TFunction;
beforeAll(() => {
  t = initI18n("en").getFixedT("en");
});

describe("failureDetail", () => {
  it("keeps the server's words inline for the server's kinds", () => {
    const kinds: ErrorKind[] = ["auth", "quota", "rate_limited", "server", "gateway", "bad_request", "not_found", "generation_failed"];
    for (const kind of kinds) {
      expect(failureDetail(t, { kind, message: " 无效的令牌 (request id: 1) " }), kind).toEqual({
        inline: "无效的令牌 (request id: 1)",
        disclosure: null,
      });
    }
  });

  it("puts locally made messages behind a disclosure", () => {
    const kinds: ErrorKind[] = ["network", "timeout", "cancelled", "protocol"];
    for (const kind of kinds) {
      expect(failureDetail(t, { kind, message: "error sending request: connection reset" }), kind).toEqual({
        inline: null,
        disclosure: "error sending request: connection reset",
      });
    }
  });

  it("shows nothing for an empty message or a policy reason (already in the main text)", () => {
    expect(failureDetail(t, { kind: "auth", message: "  " })).toEqual({ inline: null, disclosure: null });
    expect(failureDetail(t, { kind: "policy", message: "sentinel_block" })).toEqual({ inline: null, disclosure: null });
  });

  it("localizes the app-restart message, inline", () => {
    expect(failureDetail(t, { kind: "network", message: APP_CLOSED_MESSAGE })).toEqual({
      inline: "The app closed before the reply finished.",
      disclosure: null,
    });
    const zh = initI18n("zh-CN").getFixedT("zh-CN");
    expect(failureDetail(zh, { kind: "network", message: APP_CLOSED_MESSAGE }).inline).toBe("应用在回复完成前关闭了。");
    initI18n("en");
  });

  it("clips very long messages", () => {
    const long = "x".repeat(1000);
    expect(failureDetail(t, { kind: "server", message: long }).inline).toHaveLength(401);
  });
});
