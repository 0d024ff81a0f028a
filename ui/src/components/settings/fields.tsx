// The building blocks of the settings dialog: sections, labelled rows, segmented choices and a
// text field that validates, then saves on Enter or blur.
import { useEffect, useId, useState, type ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { IconCheck, Spinner } from "../icons";

export function Section({ title, children }: { title: string; children: ReactNode }) {
  return (
    <section className="settings-section">
      <h3 className="settings-heading">{title}</h3>
      {children}
    </section>
  );
}

export function Row({ label, children, hint }: { label: string; children: ReactNode; hint?: ReactNode }) {
  const id = useId();
  return (
    <div className="settings-row" role="group" aria-labelledby={id}>
      <div className="settings-label" id={id}>
        {label}
      </div>
      <div className="settings-control">
        {children}
        {hint && <div className="field-hint">{hint}</div>}
      </div>
    </div>
  );
}

export function Segmented<T extends string>({
  value,
  options,
  onChange,
  testId,
}: {
  value: T;
  options: [T, string][];
  onChange: (value: T) => void;
  testId: string;
}) {
  return (
    <div className="segmented" role="radiogroup" data-testid={testId}>
      {options.map(([v, label]) => (
        <button
          key={v}
          type="button"
          role="radio"
          aria-checked={v === value}
          className={`segment${v === value ? " is-selected" : ""}`}
          data-value={v}
          onClick={() => v !== value && onChange(v)}
        >
          {label}
        </button>
      ))}
    </div>
  );
}

export interface TextSettingProps {
  label: string;
  hint?: string;
  value: string;
  testId: string;
  validate: (value: string) => string | null;
  commit: (value: string) => Promise<string | null>;
  type?: "text" | "url";
  inputMode?: "decimal" | "url" | "text";
  suffix?: string;
  narrow?: boolean;
  placeholder?: string;
  disabled?: boolean;
  /** Monospace text (addresses, paths). */
  mono?: boolean;
}

/** A text setting saved on Enter or when the field loses focus, validated first. */
export function TextSetting({
  label,
  hint,
  value,
  testId,
  validate,
  commit,
  type = "text",
  inputMode,
  suffix,
  narrow,
  placeholder,
  disabled,
  mono,
}: TextSettingProps) {
  const { t } = useTranslation();
  const [draft, setDraft] = useState(value);
  const [error, setError] = useState<string | null>(null);
  const [state, setState] = useState<"idle" | "saving" | "saved">("idle");
  useEffect(() => setDraft(value), [value]);

  async function save() {
    if (draft.trim() === value.trim()) {
      setError(null);
      return;
    }
    const invalid = validate(draft);
    if (invalid) {
      setError(invalid);
      return;
    }
    setState("saving");
    const err = await commit(draft);
    setError(err);
    setState(err ? "idle" : "saved");
    if (!err) setTimeout(() => setState((s) => (s === "saved" ? "idle" : s)), 2000);
  }

  return (
    <Row label={label} hint={error ? undefined : hint}>
      <div className="inline-field">
        <input
          className={`input${narrow ? " narrow" : ""}${mono ? " mono" : ""}${error ? " is-invalid" : ""}`}
          data-testid={testId}
          placeholder={placeholder}
          disabled={disabled}
          type={type}
          inputMode={inputMode}
          spellCheck={false}
          aria-label={label}
          aria-invalid={error ? true : undefined}
          value={draft}
          onChange={(e) => {
            setDraft(e.target.value);
            setError(null);
          }}
          onBlur={() => void save()}
          onKeyDown={(e) => {
            if (e.key === "Enter") {
              e.preventDefault();
              void save();
            } else if (e.key === "Escape" && draft !== value) {
              e.stopPropagation();
              setDraft(value);
              setError(null);
            }
          }}
        />
        {suffix && <span className="field-suffix">{suffix}</span>}
        {state === "saving" && <Spinner size={12} />}
        {state === "saved" && (
          <span className="saved-mark">
            <IconCheck size={14} />
            {t("common.saved")}
          </span>
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
