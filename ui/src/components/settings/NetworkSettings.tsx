// Settings → Network: a proxy for API requests and downloads (Tauri apps on Linux do not follow
// the desktop's proxy), hosts that bypass it, and an extra certificate authority to trust.
// Each field is saved on its own; the backend validates again (and reads the certificate file).
import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { open as openDialog } from "@tauri-apps/plugin-dialog";
import type { SettingsPatch, SettingsView } from "../../api/types";
import { useNotifyError } from "../../state/app";
import { IconFolder } from "../icons";
import { Row, Section, TextSetting } from "./fields";

const PROXY_SCHEMES = ["http://", "https://", "socks5://", "socks5h://"];

/** The proxy as typed: empty (none) or a supported scheme followed by a host. */
export function isValidProxyUrl(value: string): boolean {
  const v = value.trim();
  if (!v) return true;
  if (/\s/.test(v)) return false;
  const scheme = PROXY_SCHEMES.find((s) => v.toLowerCase().startsWith(s));
  if (!scheme) return false;
  const rest = v.slice(scheme.length).replace(/^[^@/]*@/, "");
  const host = rest.split("/")[0] ?? "";
  return /^(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9.-]+)(:\d{1,5})?$/.test(host);
}

interface Props {
  settings: SettingsView;
  /** Saves a change; resolves to an error text, or null. */
  patch: (p: SettingsPatch) => Promise<string | null>;
}

export function NetworkSettings({ settings, patch }: Props) {
  const { t } = useTranslation();
  const hasProxy = !!settings.proxy_url;
  return (
    <Section title={t("settings.network")}>
      <TextSetting
        label={t("settings.proxy")}
        hint={t("settings.proxyHint")}
        value={settings.proxy_url ?? ""}
        placeholder={t("settings.proxyPlaceholder")}
        testId="settings-proxy"
        type="url"
        mono
        validate={(v) => (isValidProxyUrl(v) ? null : t("settings.proxyInvalid"))}
        commit={(v) => patch({ proxy_url: v.trim() })}
      />
      <TextSetting
        label={t("settings.noProxy")}
        hint={hasProxy ? t("settings.noProxyHint") : t("settings.noProxyDisabled")}
        value={settings.no_proxy}
        placeholder={t("settings.noProxyPlaceholder")}
        testId="settings-no-proxy"
        mono
        disabled={!hasProxy}
        validate={() => null}
        commit={(v) => patch({ no_proxy: v })}
      />
      <CaCertSetting settings={settings} patch={patch} />
    </Section>
  );
}

function CaCertSetting({ settings, patch }: Props) {
  const { t } = useTranslation();
  const notifyError = useNotifyError();
  const saved = settings.ca_cert_path ?? "";
  const [draft, setDraft] = useState(saved);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => setDraft(saved), [saved]);

  async function apply(value: string) {
    setError(await patch({ ca_cert_path: value.trim() }));
  }

  async function choose() {
    try {
      const picked = await openDialog({
        multiple: false,
        directory: false,
        title: t("settings.caCertChoose"),
        filters: [{ name: t("settings.caCertFilter"), extensions: ["pem", "crt", "cer"] }],
      });
      if (typeof picked === "string" && picked) {
        setDraft(picked);
        await apply(picked);
      }
    } catch (err) {
      notifyError(err);
    }
  }

  const problem = !error && settings.ca_cert_problem;
  return (
    <Row label={t("settings.caCert")} hint={error || problem ? undefined : t("settings.caCertHint")}>
      <div className="inline-field">
        <input
          className={`input mono${error ? " is-invalid" : ""}`}
          data-testid="settings-ca-cert"
          aria-label={t("settings.caCert")}
          aria-invalid={error ? true : undefined}
          placeholder={t("settings.caCertPlaceholder")}
          spellCheck={false}
          value={draft}
          onChange={(e) => {
            setDraft(e.target.value);
            setError(null);
          }}
          onBlur={() => {
            if (draft.trim() !== saved) void apply(draft);
          }}
          onKeyDown={(e) => {
            if (e.key === "Enter") {
              e.preventDefault();
              void apply(draft);
            }
          }}
        />
        <button type="button" className="button" onClick={() => void choose()} data-testid="settings-choose-ca">
          <IconFolder size={14} />
          {t("common.choose")}
        </button>
        {saved && (
          <button
            type="button"
            className="button button-ghost"
            data-testid="settings-remove-ca"
            onClick={() => {
              setDraft("");
              void apply("");
            }}
          >
            {t("settings.remove")}
          </button>
        )}
      </div>
      {error && (
        <div className="field-error" role="alert" data-testid="settings-ca-error">
          {error}
        </div>
      )}
      {problem && (
        <div className="field-hint warn" data-testid="settings-ca-problem">
          {t("settings.caCertProblem")} ({settings.ca_cert_problem})
        </div>
      )}
    </Row>
  );
}
