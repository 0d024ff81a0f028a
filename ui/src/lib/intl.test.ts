import { describe, expect, it } from "vitest";
import { dateTimeFormat, relativeTimeFormat } from "./intl";
import { formatDateTime, formatRelative } from "./format";

describe("shared Intl formatters", () => {
  it("returns the same formatter for the same language and options, another for others", () => {
    const a = dateTimeFormat("zh-CN", { dateStyle: "medium", timeStyle: "short" });
    expect(dateTimeFormat("zh-CN", { dateStyle: "medium", timeStyle: "short" })).toBe(a);
    expect(dateTimeFormat("en", { dateStyle: "medium", timeStyle: "short" })).not.toBe(a);
    expect(dateTimeFormat("zh-CN", { dateStyle: "short" })).not.toBe(a);
    expect(relativeTimeFormat("en", { numeric: "auto" })).toBe(relativeTimeFormat("en", { numeric: "auto" }));
  });

  it("formats as before: per language, relative within a week", () => {
    const then = Date.UTC(2026, 10, 26, 8, 30);
    expect(formatDateTime(then, "en")).toBe(new Intl.DateTimeFormat("en", { dateStyle: "medium", timeStyle: "short" }).format(then));
    expect(formatRelative(then - 3 * 3600_000, then, "en", "now")).toBe("3 hours ago");
    expect(formatRelative(then - 3 * 3600_000, then, "zh-CN", "刚刚")).toBe("3小时前");
    expect(formatRelative(then - 20_000, then, "en", "just now")).toBe("just now");
  });
});
