import type { Theme } from "../api/types";

/** Applies the theme setting: `data-theme` on <html> for light/dark; none for "system". */
export function applyTheme(theme: Theme, root: HTMLElement = document.documentElement) {
  if (theme === "system") root.removeAttribute("data-theme");
  else root.setAttribute("data-theme", theme);
}
