import { describe, expect, it } from "vitest";
import { formatShortDate } from "./date";

describe("formatShortDate", () => {
  const when = new Date(2025, 10, 26, 14, 5).getTime();

  it("leaves the year out for this year's videos", () => {
    const now = new Date(2025, 11, 31).getTime();
    expect(formatShortDate(when, "en", now)).not.toContain("2025");
    expect(formatShortDate(when, "en", now)).toContain("Nov 26");
    expect(formatShortDate(when, "zh-CN", now)).toContain("11月26日");
  });

  it("shows it for older ones", () => {
    const now = new Date(2026, 0, 2).getTime();
    expect(formatShortDate(when, "en", now)).toContain("2025");
    expect(formatShortDate(when, "zh-CN", now)).toContain("2025年");
  });
});
