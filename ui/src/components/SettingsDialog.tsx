import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { open as openDialog } from "@tauri-apps/plugin-dialog";
import type { Language, SettingsPatch, SettingsView, Theme } from "../api/types";
import {
  clearApiKey,
  setApiKey,
  startDemo,
  stopDemo,
  testConnection,
  updateSettings,
} from "../api/commands";
import { toAppError } from "../api/errors";
import { useApp, useNotifyError } from "../state/app";
import { useConfirm } from "../state/confirm";
import { errorText } from "../lib/errorText";
import { showToast } from "../state/toasts";
import { isValidBaseUrl, parseIdleMinutes } from "../lib/validate";
import { KNOWN_MODELS, modelLabel } from "./Composer";
import { describeConnection, describeError, ResultView, type ResultLine } from "./ConnectionResult";
import { Modal } from "./Modal";
import { IconFolder, Spinner } from "./icons";
import { Row, Section, Segmented, TextSetting } from "./settings/fields";
import { NetworkSettings } from "./settings/NetworkSettings";

interface SettingsDialogProps {
  open: boolean;
  onOpenChange: (open: boolean) => void;
  version: string | null;
}

export function SettingsDialog({ open, onOpenChange, version }: SettingsDialogProps) {
  const { t } = useTranslation();
  return (
    <Modal
      open={open}
      onOpenChange={onOpenChange}
      title={t("settings.title")}
      testId="settings-dialog"
      closeTestId="settings-close"
      size="large"
    >
      {open && <SettingsBody version={version} />}
    </Modal>
  );
}

function SettingsBody({ version }: { version: string | null }) {
  const { t } = useTranslation();
  const { settings, setSettings } = useApp();

  async function patch(p: SettingsPatch): Promise<string | null> {
    try {
      setSettings(await updateSettings(p));
      return null;
    } catch (err) {
      const e = toAppError(err);
      // Input the user can fix, or a file that cannot be read: say which and why.
      return (e.kind === "invalid_input" || e.kind === "io") && e.message ? `${errorText(t, e)} (${e.message})` : errorText(t, e);
    }
  }

  const toastIfError = (err: string | null) => {
    if (err) showToast({ tone: "error", text: err });
  };

  return (
    <div className="settings">
      <Section title={t("settings.connection")}>
        <TextSetting
          label={t("settings.baseUrl")}
          hint={t("settings.baseUrlHint")}
          value={settings.base_url}
          testId="settings-base-url"
          validate={(v) => (isValidBaseUrl(v) ? null : t("settings.badUrl"))}
          commit={(v) => patch({ base_url: v.trim() })}
          type="url"
        />
        <KeySetting settings={settings} onChange={setSettings} />
      </Section>

      <NetworkSettings settings={settings} patch={patch} />

      <Section title={t("settings.generation")}>
        <Row label={t("settings.defaultModel")}>
          <select
            className="select"
            data-testid="settings-default-model"
            aria-label={t("settings.defaultModel")}
            value={settings.default_model}
            onChange={(e) => void patch({ default_model: e.target.value }).then(toastIfError)}
          >
            {[...new Set([...KNOWN_MODELS, settings.default_model])].map((m) => (
              <option key={m} value={m}>
                {modelLabel(t, m)}
              </option>
            ))}
          </select>
        </Row>
        <TextSetting
          label={t("settings.idleTimeout")}
          hint={t("settings.idleHint")}
          value={String(Math.round((settings.idle_timeout_secs / 60) * 10) / 10)}
          suffix={t("settings.minutes")}
          testId="settings-idle-timeout"
          inputMode="decimal"
          narrow
          validate={(v) => (parseIdleMinutes(v) === null ? t("settings.idleInvalid") : null)}
          commit={(v) => patch({ idle_timeout_secs: parseIdleMinutes(v) ?? settings.idle_timeout_secs })}
        />
      </Section>

      <Section title={t("settings.appearance")}>
        <Row label={t("settings.language")}>
          <Segmented<Language>
            testId="settings-language"
            value={settings.language}
            options={[
              ["system", t("settings.langSystem")],
              ["zh-CN", "中文"],
              ["en", "English"],
            ]}
            onChange={(language) => void patch({ language }).then(toastIfError)}
          />
        </Row>
        <Row label={t("settings.theme")}>
          <Segmented<Theme>
            testId="settings-theme"
            value={settings.theme}
            options={[
              ["system", t("settings.themeSystem")],
              ["light", t("settings.themeLight")],
              ["dark", t("settings.themeDark")],
            ]}
            onChange={(theme) => void patch({ theme }).then(toastIfError)}
          />
        </Row>
      </Section>

      <Section title={t("settings.storage")}>
        <DownloadDirSetting settings={settings} patch={patch} />
      </Section>

      <Section title={t("settings.demo")}>
        <DemoSetting settings={settings} onChange={setSettings} />
      </Section>

      <Section title={t("settings.about")}>
        <p className="settings-about" data-testid="settings-version">
          {t("app.title")} · {version ? t("app.version", { version }) : t("app.versionUnknown")}
        </p>
      </Section>
    </div>
  );
}

function KeySetting({ settings, onChange }: { settings: SettingsView; onChange: (s: SettingsView) => void }) {
  const { t, i18n } = useTranslation();
  const confirm = useConfirm();
  const [editing, setEditing] = useState(!settings.has_key);
  const [key, setKey] = useState("");
  const [busy, setBusy] = useState<"save" | "test" | "remove" | null>(null);
  const [result, setResult] = useState<ResultLine | null>(null);

  useEffect(() => {
    if (!settings.has_key) setEditing(true);
  }, [settings.has_key]);

  async function save() {
    if (!key.trim()) {
      setResult({ ok: false, text: t("settings.keyEmpty") });
      return;
    }
    setBusy("save");
    setResult(null);
    try {
      onChange(await setApiKey(key.trim()));
      setKey("");
      setEditing(false);
    } catch (err) {
      setResult(describeError(t, toAppError(err)));
    } finally {
      setBusy(null);
    }
  }

  async function remove() {
    const ok = await confirm({ title: t("settings.removeTitle"), body: t("settings.removeBody"), ok: t("common.remove"), danger: true });
    if (!ok) return;
    setBusy("remove");
    try {
      onChange(await clearApiKey());
      setResult(null);
    } catch (err) {
      setResult(describeError(t, toAppError(err)));
    } finally {
      setBusy(null);
    }
  }

  async function test() {
    setBusy("test");
    setResult(null);
    try {
      const typed = editing && key.trim() ? key.trim() : null;
      setResult(describeConnection(t, i18n.language, await testConnection(settings.base_url, typed)));
    } catch (err) {
      setResult(describeError(t, toAppError(err)));
    } finally {
      setBusy(null);
    }
  }

  return (
    <Row label={t("settings.apiKey")}>
      {editing ? (
        <div className="inline-field">
          <input
            className="input mono"
            type="password"
            data-testid="settings-api-key"
            aria-label={t("settings.newKey")}
            placeholder={t("welcome.apiKeyPlaceholder")}
            autoComplete="off"
            spellCheck={false}
            value={key}
            onChange={(e) => setKey(e.target.value)}
            onKeyDown={(e) => {
              if (e.key === "Enter") {
                e.preventDefault();
                void save();
              }
            }}
          />
          <button type="button" className="button button-primary" onClick={() => void save()} disabled={busy !== null} data-testid="settings-save-key">
            {busy === "save" && <Spinner size={12} />}
            {t("common.save")}
          </button>
          {settings.has_key && (
            <button type="button" className="button button-ghost" onClick={() => setEditing(false)}>
              {t("common.cancel")}
            </button>
          )}
        </div>
      ) : (
        <div className="inline-field">
          <span className="key-hint" data-testid="settings-key-hint">
            {t("settings.keySaved", { hint: settings.key_hint ?? "••••" })}
          </span>
          <button type="button" className="button small" onClick={() => setEditing(true)} data-testid="settings-replace-key">
            {t("common.replace")}
          </button>
          <button
            type="button"
            className="button small button-danger-soft"
            onClick={() => void remove()}
            disabled={busy !== null}
            data-testid="settings-remove-key"
          >
            {t("common.remove")}
          </button>
        </div>
      )}
      {!settings.has_key && !editing && <div className="field-hint">{t("settings.noKey")}</div>}
      {settings.key_storage === "file" && settings.has_key && (
        <div className="field-hint warn" data-testid="key-file-note">
          {t("settings.keyFileNote")}
        </div>
      )}
      <div className="inline-field">
        <button
          type="button"
          className="button small"
          onClick={() => void test()}
          disabled={busy !== null || (!settings.has_key && !key.trim())}
          data-testid="settings-test"
        >
          {busy === "test" && <Spinner size={12} />}
          {busy === "test" ? t("welcome.testing") : t("settings.test")}
        </button>
      </div>
      {result && <ResultView result={result} testId="settings-test-result" />}
    </Row>
  );
}

function DownloadDirSetting({
  settings,
  patch,
}: {
  settings: SettingsView;
  patch: (p: SettingsPatch) => Promise<string | null>;
}) {
  const { t } = useTranslation();
  const notifyError = useNotifyError();
  const [draft, setDraft] = useState(settings.download_dir ?? "");
  const [error, setError] = useState<string | null>(null);
  useEffect(() => setDraft(settings.download_dir ?? ""), [settings.download_dir]);

  async function apply(value: string) {
    if (value.trim() === (settings.download_dir ?? "")) return;
    setError(await patch({ download_dir: value.trim() }));
  }

  async function choose() {
    try {
      const picked = await openDialog({
        directory: true,
        multiple: false,
        ...(settings.download_dir ? { defaultPath: settings.download_dir } : {}),
      });
      if (typeof picked === "string" && picked) {
        setDraft(picked);
        await apply(picked);
      }
    } catch (err) {
      notifyError(err);
    }
  }

  return (
    <Row label={t("settings.downloadDir")} hint={error ? undefined : t("settings.downloadDirHint")}>
      <div className="inline-field">
        <input
          className={`input${error ? " is-invalid" : ""}`}
          data-testid="settings-download-dir"
          aria-label={t("settings.downloadDir")}
          placeholder={t("settings.downloadDirDefault")}
          spellCheck={false}
          value={draft}
          onChange={(e) => {
            setDraft(e.target.value);
            setError(null);
          }}
          onBlur={() => void apply(draft)}
          onKeyDown={(e) => {
            if (e.key === "Enter") {
              e.preventDefault();
              void apply(draft);
            }
          }}
        />
        <button type="button" className="button" onClick={() => void choose()} data-testid="settings-choose-dir">
          <IconFolder size={14} />
          {t("common.choose")}
        </button>
        {settings.download_dir && (
          <button
            type="button"
            className="button button-ghost"
            onClick={() => {
              setDraft("");
              void apply("");
            }}
          >
            {t("settings.useDefault")}
          </button>
        )}
      </div>
      {error && (
        <div className="field-error" role="alert">
          {error}
        </div>
      )}
    </Row>
  );
}

function DemoSetting({ settings, onChange }: { settings: SettingsView; onChange: (s: SettingsView) => void }) {
  const { t } = useTranslation();
  const notifyError = useNotifyError();
  const [busy, setBusy] = useState(false);

  async function toggle(on: boolean) {
    setBusy(true);
    try {
      onChange(on ? await startDemo() : await stopDemo());
    } catch (err) {
      notifyError(err);
    } finally {
      setBusy(false);
    }
  }

  return (
    <Row label={t("settings.demo")} hint={t("settings.demoBody")}>
      <label className="switch">
        <input
          type="checkbox"
          role="switch"
          data-testid="settings-demo"
          checked={settings.demo}
          disabled={busy}
          onChange={(e) => void toggle(e.target.checked)}
        />
        <span className="switch-track" aria-hidden="true">
          <span className="switch-thumb" />
        </span>
        <span className="visually-hidden">{t("settings.demo")}</span>
      </label>
    </Row>
  );
}
