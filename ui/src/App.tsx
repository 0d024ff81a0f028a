import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { invoke } from "@tauri-apps/api/core";

interface AppInfo {
  version: string;
}

type VersionState = { kind: "loading" } | { kind: "ok"; version: string } | { kind: "failed" };

export default function App() {
  const { t } = useTranslation();
  const [version, setVersion] = useState<VersionState>({ kind: "loading" });

  useEffect(() => {
    let cancelled = false;
    invoke<AppInfo>("app_info")
      .then((info) => {
        if (!cancelled) setVersion({ kind: "ok", version: info.version });
      })
      .catch((err: unknown) => {
        console.error("app_info failed", err);
        if (!cancelled) setVersion({ kind: "failed" });
      });
    return () => {
      cancelled = true;
    };
  }, []);

  return (
    <main className="app">
      <h1 className="app-title" data-testid="app-title">
        {t("app.title")}
      </h1>
      <p className="app-ready" data-testid="app-ready">
        {t("app.ready")}
      </p>
      <p className="app-version" data-testid="app-version">
        {version.kind === "ok"
          ? t("app.version", { version: version.version })
          : version.kind === "failed"
            ? t("app.versionUnknown")
            : "\u00a0"}
      </p>
    </main>
  );
}
