import type { TFunction } from "i18next";
import type { AppError, ConnectionTest } from "../api/types";
import { errorDetail, errorText } from "../lib/errorText";

export interface ResultLine {
  ok: boolean;
  text: string;
  detail?: string | undefined;
}

/** Says plainly what a connection test found. */
export function describeConnection(t: TFunction, lang: string, res: ConnectionTest): ResultLine {
  if (res.ok) {
    if (res.models.length === 0) return { ok: true, text: t("welcome.connectedNoModels") };
    const sep = lang.startsWith("zh") ? "、" : ", ";
    const shown = res.models.slice(0, 8).join(sep) + (res.models.length > 8 ? (lang.startsWith("zh") ? "等" : ", …") : "");
    return { ok: true, text: t("welcome.connected", { count: res.models.length, models: shown }) };
  }
  const err: AppError = res.error ?? { kind: "network", message: "", retry_after_secs: null };
  return describeError(t, err);
}

export function describeError(t: TFunction, err: AppError): ResultLine {
  return { ok: false, text: t("welcome.failed", { reason: errorText(t, err) }), detail: errorDetail(err) ?? undefined };
}

export function ResultView({ result, testId }: { result: ResultLine; testId?: string }) {
  return (
    <div
      className={`result-line ${result.ok ? "is-ok" : "is-error"}`}
      data-testid={testId}
      data-ok={result.ok ? "true" : "false"}
      role="status"
    >
      <p>{result.text}</p>
      {result.detail && <p className="result-detail">{result.detail}</p>}
    </div>
  );
}
