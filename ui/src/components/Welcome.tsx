import { useState } from "react";
import { useTranslation } from "react-i18next";
import type { SettingsView } from "../api/types";
import { setApiKey, startDemo, testConnection, updateSettings } from "../api/commands";
import { toAppError } from "../api/errors";
import { isValidBaseUrl } from "../lib/validate";
import { describeConnection, describeError, ResultView, type ResultLine } from "./ConnectionResult";
import { IconKey, IconPlay, IconSparkles, Spinner } from "./icons";

export const DEFAULT_BASE_URL = "https://new.22codex.xyz";

interface WelcomeProps {
  settings: SettingsView;
  onDone: (settings: SettingsView) => void;
  version: string | null;
}

/** The first-run screen: connect an API key, or try the demo. */
export function Welcome({ settings, onDone, version }: WelcomeProps) {
  const { t, i18n } = useTranslation();
  const [baseUrl, setBaseUrl] = useState(settings.base_url || DEFAULT_BASE_URL);
  const [key, setKey] = useState("");
  const [busy, setBusy] = useState<"test" | "save" | "demo" | null>(null);
  const [result, setResult] = useState<ResultLine | null>(null);

  function validate(needKey: boolean): boolean {
    if (!baseUrl.trim()) {
      setResult({ ok: false, text: t("welcome.needUrl") });
      return false;
    }
    if (!isValidBaseUrl(baseUrl)) {
      setResult({ ok: false, text: t("welcome.badUrl") });
      return false;
    }
    if (needKey && !key.trim()) {
      setResult({ ok: false, text: t("welcome.needKey") });
      return false;
    }
    return true;
  }

  async function test() {
    if (!validate(true)) return;
    setBusy("test");
    setResult(null);
    try {
      const res = await testConnection(baseUrl.trim(), key.trim());
      setResult(describeConnection(t, i18n.language, res));
    } catch (err) {
      setResult(describeError(t, toAppError(err)));
    } finally {
      setBusy(null);
    }
  }

  async function save() {
    if (!validate(true)) return;
    setBusy("save");
    try {
      await updateSettings({ base_url: baseUrl.trim() });
      const view = await setApiKey(key.trim());
      onDone(view);
    } catch (err) {
      setResult(describeError(t, toAppError(err)));
      setBusy(null);
    }
  }

  async function demo() {
    setBusy("demo");
    try {
      onDone(await startDemo());
    } catch (err) {
      setResult(describeError(t, toAppError(err)));
      setBusy(null);
    }
  }

  return (
    <main className="welcome" data-testid="welcome">
      <div className="welcome-inner">
        <div className="welcome-brand">
          <span className="brand-mark" aria-hidden="true">
            <IconSparkles size={22} />
          </span>
          <h1 className="welcome-app" data-testid="app-title">
            {t("app.title")}
          </h1>
        </div>
        <h2 className="welcome-heading">{t("welcome.heading")}</h2>
        <p className="welcome-sub">{t("welcome.sub")}</p>

        <div className="welcome-grid">
          <form
            className="card welcome-card"
            onSubmit={(e) => {
              e.preventDefault();
              void save();
            }}
          >
            <div className="card-title">
              <IconKey size={18} />
              <h3>{t("welcome.connectTitle")}</h3>
            </div>
            <p className="card-body">{t("welcome.connectBody")}</p>
            <label className="field">
              <span className="field-label">{t("welcome.baseUrl")}</span>
              <input
                className="input"
                data-testid="connect-base-url"
                type="url"
                inputMode="url"
                spellCheck={false}
                autoComplete="off"
                value={baseUrl}
                onChange={(e) => setBaseUrl(e.target.value)}
              />
            </label>
            <label className="field">
              <span className="field-label">{t("welcome.apiKey")}</span>
              <input
                className="input mono"
                data-testid="connect-api-key"
                type="password"
                autoComplete="off"
                spellCheck={false}
                placeholder={t("welcome.apiKeyPlaceholder")}
                value={key}
                onChange={(e) => setKey(e.target.value)}
              />
              <span className="field-hint">{t("welcome.keyPrivacy")}</span>
            </label>
            {result && <ResultView result={result} testId="connect-result" />}
            <div className="card-actions">
              <button
                type="button"
                className="button"
                data-testid="connect-test"
                onClick={() => void test()}
                disabled={busy !== null}
              >
                {busy === "test" && <Spinner size={12} />}
                {busy === "test" ? t("welcome.testing") : t("welcome.test")}
              </button>
              <button type="submit" className="button button-primary" data-testid="connect-save" disabled={busy !== null}>
                {busy === "save" && <Spinner size={12} />}
                {t("welcome.save")}
              </button>
            </div>
          </form>

          <div className="card welcome-card welcome-demo">
            <div className="card-title">
              <IconPlay size={18} />
              <h3>{t("welcome.demoTitle")}</h3>
            </div>
            <p className="card-body">{t("welcome.demoBody")}</p>
            <div className="card-actions">
              <button
                type="button"
                className="button button-primary-soft"
                data-testid="try-demo"
                onClick={() => void demo()}
                disabled={busy !== null}
              >
                {busy === "demo" && <Spinner size={12} />}
                {t("welcome.tryDemo")}
              </button>
            </div>
          </div>
        </div>
        <p className="welcome-version" data-testid="app-version">
          {version ? t("app.version", { version }) : "\u00a0"}
        </p>
      </div>
    </main>
  );
}
