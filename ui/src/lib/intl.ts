// Shared Intl formatters. Creating one is costly in WebKit (each holds ICU objects the JavaScript
// garbage collector does not see, so they pile up until a full collection): a sidebar of 200
// conversations that made new formatters on every render grew the web process by ~10 MB per click.
// One formatter per (language, options) is made and reused for the life of the page.

const dateTimeFormats = new Map<string, Intl.DateTimeFormat>();
const relativeTimeFormats = new Map<string, Intl.RelativeTimeFormat>();

export function dateTimeFormat(lang: string, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = `${lang}|${JSON.stringify(options)}`;
  let f = dateTimeFormats.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat(lang, options);
    dateTimeFormats.set(key, f);
  }
  return f;
}

export function relativeTimeFormat(lang: string, options: Intl.RelativeTimeFormatOptions): Intl.RelativeTimeFormat {
  const key = `${lang}|${JSON.stringify(options)}`;
  let f = relativeTimeFormats.get(key);
  if (!f) {
    f = new Intl.RelativeTimeFormat(lang, options);
    relativeTimeFormats.set(key, f);
  }
  return f;
}
