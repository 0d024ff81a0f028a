import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { cleanup, fireEvent, screen, waitFor } from "@testing-library/react";

vi.mock("@tauri-apps/api/core", async () => (await import("../../test/tauriMock")).coreModule);
vi.mock("@tauri-apps/plugin-dialog", async () => (await import("../../test/tauriMock")).dialogModule);

import { handlers, invoke, openDialog, resetTauriMocks } from "../../test/tauriMock";
import { makeSettings } from "../../test/fixtures";
import { renderWithApp } from "../../test/render";
import { initI18n } from "../../i18n";
import en from "../../i18n/en";
import zhCN from "../../i18n/zh-CN";
import type { SettingsPatch, SettingsView } from "../../api/types";
import { SettingsDialog } from "../SettingsDialog";
import { isValidProxyUrl } from "./NetworkSettings";

beforeAll(() => {
  initI18n("en");
});
beforeEach(resetTauriMocks);
afterEach(cleanup);

/** A backend that applies patches to a settings view, like update_settings. */
function backend(initial: SettingsView) {
  let current = initial;
  const patches: SettingsPatch[] = [];
  handlers.update_settings = (args) => {
    const patch = (args as { patch: SettingsPatch }).patch;
    patches.push(patch);
    if (patch.ca_cert_path === "/home/me/key.pem") {
      throw { kind: "invalid_input", message: "/home/me/key.pem: this is a private key, not a certificate", retry_after_secs: null };
    }
    current = {
      ...current,
      ...(patch.proxy_url !== undefined ? { proxy_url: patch.proxy_url || null } : {}),
      ...(patch.no_proxy !== undefined ? { no_proxy: patch.no_proxy } : {}),
      ...(patch.ca_cert_path !== undefined ? { ca_cert_path: patch.ca_cert_path || null } : {}),
    };
    return current;
  };
  return { patches, current: () => current };
}

function commit(testId: string, value: string) {
  const input = screen.getByTestId(testId);
  fireEvent.change(input, { target: { value } });
  fireEvent.keyDown(input, { key: "Enter" });
}

describe("proxy address check", () => {
  it("accepts the four schemes with a host, and empty", () => {
    for (const ok of ["", "http://127.0.0.1:7890", "https://proxy.corp", "socks5://[::1]:1080", "SOCKS5H://u:p@host:1080"]) {
      expect(isValidProxyUrl(ok), ok).toBe(true);
    }
    for (const bad of ["127.0.0.1:7890", "ftp://proxy", "socks4://proxy:1080", "http://", "http://pro xy", "http://host:port"]) {
      expect(isValidProxyUrl(bad), bad).toBe(false);
    }
  });
});

describe("Settings → Network", () => {
  it("refuses a bad proxy before sending it, then saves a good one", async () => {
    const b = backend(makeSettings());
    const { ctx } = renderWithApp(<SettingsDialog open onOpenChange={() => undefined} version="1.0.0" />);
    expect((screen.getByTestId("settings-no-proxy") as HTMLInputElement).disabled).toBe(true);

    commit("settings-proxy", "127.0.0.1:7890");
    expect((await screen.findByRole("alert")).textContent).toBe(en.settings.proxyInvalid);
    expect(b.patches).toEqual([]);

    commit("settings-proxy", " socks5h://127.0.0.1:1080 ");
    await waitFor(() => expect(b.patches).toEqual([{ proxy_url: "socks5h://127.0.0.1:1080" }]));
    expect(ctx.setSettings).toHaveBeenCalledWith(expect.objectContaining({ proxy_url: "socks5h://127.0.0.1:1080" }));
  });

  it("saves the no-proxy list once a proxy is set", async () => {
    const b = backend(makeSettings({ proxy_url: "http://127.0.0.1:7890" }));
    renderWithApp(<SettingsDialog open onOpenChange={() => undefined} version={null} />, {
      settings: makeSettings({ proxy_url: "http://127.0.0.1:7890" }),
    });
    expect((screen.getByTestId("settings-no-proxy") as HTMLInputElement).disabled).toBe(false);
    commit("settings-no-proxy", "intranet.example, .corp");
    await waitFor(() => expect(b.patches).toEqual([{ no_proxy: "intranet.example, .corp" }]));
  });

  it("picks a certificate file, and shows why one is refused", async () => {
    const b = backend(makeSettings());
    openDialog.mockResolvedValueOnce("/home/me/key.pem" as never);
    renderWithApp(<SettingsDialog open onOpenChange={() => undefined} version={null} />);
    fireEvent.click(screen.getByTestId("settings-choose-ca"));
    expect((await screen.findByTestId("settings-ca-error")).textContent).toContain("private key");
    expect(b.patches).toEqual([{ ca_cert_path: "/home/me/key.pem" }]);
    expect(openDialog).toHaveBeenCalledWith(
      expect.objectContaining({ directory: false, filters: [expect.objectContaining({ extensions: ["pem", "crt", "cer"] })] }),
    );
    expect(invoke).toHaveBeenCalledTimes(1);
  });

  it("says when a saved certificate file can no longer be read, and removes it", async () => {
    const b = backend(makeSettings({ ca_cert_path: "/etc/corp/ca.pem", ca_cert_problem: "No such file" }));
    renderWithApp(<SettingsDialog open onOpenChange={() => undefined} version={null} />, {
      settings: makeSettings({ ca_cert_path: "/etc/corp/ca.pem", ca_cert_problem: "No such file" }),
    });
    expect(screen.getByTestId("settings-ca-problem").textContent).toContain(en.settings.caCertProblem);
    fireEvent.click(screen.getByTestId("settings-remove-ca"));
    await waitFor(() => expect(b.patches).toEqual([{ ca_cert_path: "" }]));
  });
});

describe("strings", () => {
  it("exist in both languages", () => {
    for (const key of Object.keys(en.settings) as (keyof typeof en.settings)[]) {
      expect(zhCN.settings[key], key).toBeTruthy();
    }
    for (const key of Object.keys(en.exporting) as (keyof typeof en.exporting)[]) {
      expect(zhCN.exporting[key], key).toBeTruthy();
    }
    expect(zhCN.errors.certificate).not.toBe(en.errors.certificate);
  });
});
