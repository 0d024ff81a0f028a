// @vitest-environment node
/// <reference types="node" />
// Colour contrast of the two themes, from the variables in styles.css (WCAG 2 formula): body text and
// controls must stay readable in light and dark. Translucent "soft" backgrounds are blended over the
// surface they sit on.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";

const css = readFileSync(new URL("../styles.css", import.meta.url), "utf8");

function block(selector: string): Record<string, string> {
  const start = css.indexOf(`${selector} {`);
  if (start < 0) throw new Error(`no ${selector} block in styles.css`);
  const body = css.slice(start, css.indexOf("}", start));
  const vars: Record<string, string> = {};
  for (const m of body.matchAll(/--([\w-]+):\s*([^;]+);/g)) vars[m[1] as string] = (m[2] as string).trim();
  return vars;
}

type RGBA = [number, number, number, number];

function parse(color: string): RGBA {
  const hex = color.match(/^#([0-9a-f]{6})$/i);
  if (hex) {
    const n = parseInt(hex[1] as string, 16);
    return [(n >> 16) & 255, (n >> 8) & 255, n & 255, 1];
  }
  const rgba = color.match(/^rgba?\(([^)]+)\)$/);
  if (rgba) {
    const [r, g, b, a = "1"] = (rgba[1] as string).split(",").map((x) => x.trim());
    return [Number(r), Number(g), Number(b), Number(a)];
  }
  throw new Error(`cannot read colour ${color}`);
}

function over(fg: RGBA, bg: RGBA): RGBA {
  const a = fg[3];
  return [fg[0] * a + bg[0] * (1 - a), fg[1] * a + bg[1] * (1 - a), fg[2] * a + bg[2] * (1 - a), 1];
}

function luminance([r, g, b]: RGBA): number {
  const lin = (c: number) => {
    const s = c / 255;
    return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b);
}

function ratio(a: RGBA, b: RGBA): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
  return (hi + 0.05) / (lo + 0.05);
}

// [text, background, minimum]: 4.5 for text, 3 for large/secondary UI text and icons.
const PAIRS: [string, string, number][] = [
  ["color-text", "color-bg", 4.5],
  ["color-text", "color-surface", 4.5],
  ["color-text", "color-surface-2", 4.5],
  ["color-text", "color-user-bubble", 4.5],
  ["color-text-muted", "color-surface", 4.5],
  ["color-text-muted", "color-bg", 4.5],
  ["color-text-faint", "color-surface", 3],
  ["color-accent-text", "color-surface", 4.5],
  ["color-accent-text", "color-accent-soft", 4.5],
  ["color-accent-contrast", "color-accent", 4.5],
  ["color-danger", "color-surface", 4.5],
  ["color-danger", "color-danger-soft", 4.5],
  ["color-success", "color-success-soft", 3],
  ["color-warn", "color-warn-soft", 3],
];

const THEMES = { light: block(":root"), dark: block(':root[data-theme="dark"]') };

describe.each(Object.entries(THEMES))("%s theme contrast", (_name, vars) => {
  const color = (name: string): RGBA => {
    const v = vars[name];
    if (!v) throw new Error(`--${name} is not set`);
    return parse(v);
  };
  const surface = () => color("color-surface");

  it.each(PAIRS)("%s on %s ≥ %s:1", (fg, bg, min) => {
    const back = over(color(bg), surface());
    const front = over(color(fg), back);
    expect(ratio(front, back)).toBeGreaterThanOrEqual(min);
  });
});
