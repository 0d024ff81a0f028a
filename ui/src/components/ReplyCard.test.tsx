import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { act, cleanup, fireEvent, screen, waitFor } from "@testing-library/react";
import { initI18n } from "../i18n";
import type { ErrorKind, TurnRecord } from "../api/types";
import { handlers, invoke, resetTauriMocks } from "../test/tauriMock";
import { fail, makeReply, makeTurn, runningTurn, succeededTurn, TASK } from "../test/fixtures";
import { renderWithApp } from "../test/render";
import { AppContext, type AppContextValue } from "../state/app";
import { ConfirmProvider } from "../state/confirm";
import { ReplyCard } from "./ReplyCard";
import { stepViews } from "./Stepper";

vi.mock("@tauri-apps/api/core", async () => (await import("../test/tauriMock")).coreModule);
vi.mock("@tauri-apps/plugin-clipboard-manager", async () => (await import("../test/tauriMock")).clipboardModule);

beforeAll(() => {
  initI18n("en");
});
beforeEach(resetTauriMocks);
afterEach(cleanup);

function card(turn: TurnRecord, over: Partial<Parameters<typeof ReplyCard>[0]> = {}) {
  const props = {
    conversationId: "c_1",
    turn,
    isHead: false,
    parentVersion: null,
    onContinue: vi.fn(),
    onRetry: vi.fn(),
    onChanged: vi.fn(),
    ...over,
  };
  return { props, ...renderWithApp(<ReplyCard {...props} />) };
}

describe("ReplyCard while running", () => {
  it("shows the plan, the task id and a progress bar that follows reply.progress", () => {
    const { rerender, ctx } = card(runningTurn(36));
    const bar = screen.getByTestId("progress");
    expect(bar.getAttribute("role")).toBe("progressbar");
    expect(bar.getAttribute("aria-valuenow")).toBe("36");
    expect(bar.getAttribute("aria-valuemin")).toBe("0");
    expect(bar.getAttribute("aria-valuemax")).toBe("100");
    expect(screen.getByTestId("task-id").textContent).toBe(TASK.id);
    expect(screen.getByTestId("plan-orientation").textContent).toBe("Portrait");
    expect(screen.getByTestId("plan-duration").textContent).toBe("10 s");
    expect(screen.getByTestId("step-queued").dataset["state"]).toBe("done");
    expect(screen.getByTestId("step-generating").dataset["state"]).toBe("active");
    expect(screen.getByTestId("step-done").dataset["state"]).toBe("pending");
    expect(screen.queryByTestId("video-player")).toBeNull();
    expect(screen.queryByTestId("retry")).toBeNull();

    rerender(<ReplyCardWith ctx={ctx} turn={runningTurn(81)} />);
    expect(screen.getByTestId("progress").getAttribute("aria-valuenow")).toBe("81");
  });

  it("shows 0 and a waiting line before any progress is known", () => {
    card(makeTurn({ reply: makeReply({ phase: "queued", task: TASK, task_ids: [TASK.id] }), steps: { queued_at: 1_760_000_001_000, generating_at: null, finished_at: null } }));
    expect(screen.getByTestId("progress").getAttribute("aria-valuenow")).toBe("0");
    expect(screen.getByTestId("step-queued").dataset["state"]).toBe("active");
    expect(screen.getByText("Waiting for the server…")).toBeTruthy();
  });

  it("opens the task page in the system browser", async () => {
    handlers["open_external"] = () => null;
    card(runningTurn(10));
    fireEvent.click(screen.getByText("Open task page"));
    await waitFor(() => expect(invoke).toHaveBeenCalledWith("open_external", { url: TASK.task_page_url }));
  });
});

// Re-render helper that keeps the same providers.
function ReplyCardWith({ ctx, turn }: { ctx: AppContextValue; turn: TurnRecord }) {
  return (
    <AppContext.Provider value={ctx}>
      <ConfirmProvider>
        <ReplyCard conversationId="c_1" turn={turn} isHead={false} parentVersion={null} onContinue={vi.fn()} onRetry={vi.fn()} onChanged={vi.fn()} />
      </ConfirmProvider>
    </AppContext.Provider>
  );
}

describe("ReplyCard when succeeded", () => {
  it("plays the local copy through the media server, not the remote link", () => {
    card(succeededTurn({ media: { video: "c_1/t 1.mp4", preview: "c_1/t_1-poster.webp", state: "done", error: null } }), {
      parentVersion: 1,
    });
    const frame = screen.getByTestId("video-player");
    expect(frame.dataset["src"]).toBe("http://127.0.0.1:4321/tok/c_1/t%201.mp4");
    // Until it is played the card is its poster and one play button: no <video> (a media player each, and
    // WebKit's costly built-in controls), so a long history keeps no live players.
    expect(frame.querySelector("video")).toBeNull();
    expect(frame.querySelector("img")?.getAttribute("src")).toBe("http://127.0.0.1:4321/tok/c_1/t_1-poster.webp");
    expect(frame.querySelector("img")?.getAttribute("alt")).toBe("Generated video v1");
    const play = screen.getByTestId("video-play");
    expect(play.getAttribute("aria-label")).toBe("Play Generated video v1");
    fireEvent.click(play);
    const video = frame.querySelector("video") as HTMLVideoElement;
    expect(video.getAttribute("src")).toBe("http://127.0.0.1:4321/tok/c_1/t%201.mp4");
    expect(video.getAttribute("poster")).toBe("http://127.0.0.1:4321/tok/c_1/t_1-poster.webp");
    expect(video.hasAttribute("controls")).toBe(true);
    expect(video.autoplay).toBe(true);
    expect(frame.querySelector("img")).toBeNull();
    expect(screen.queryByTestId("video-play")).toBeNull();
    expect(screen.getByTestId("version-badge").textContent).toBe("v1");
    expect(screen.getByTestId("remix-of").textContent).toBe("Remix of v1");
    expect(screen.getByTestId("step-done").dataset["state"]).toBe("done");
    expect(screen.queryByTestId("progress")).toBeNull();
  });

  const noPoster = () =>
    succeededTurn({
      media: { video: "c_1/t.mp4", preview: null, state: "done", error: null },
      reply: { ...succeededTurn().reply, preview_image_url: null },
    });

  it("without a poster shows the video's first frame, with the controls only once it plays", () => {
    card(noPoster());
    const video = screen.getByTestId("video-player").querySelector("video") as HTMLVideoElement;
    expect(video.getAttribute("preload")).toBe("metadata");
    expect(video.hasAttribute("controls")).toBe(false);
    const played = vi.spyOn(HTMLMediaElement.prototype, "play").mockResolvedValue(undefined);
    fireEvent.click(screen.getByTestId("video-play"));
    expect(played).toHaveBeenCalledTimes(1);
    expect(video.hasAttribute("controls")).toBe(true);
    // Played another way (keyboard, media keys): the controls come too.
    cleanup();
    card(noPoster());
    const other = screen.getByTestId("video-player").querySelector("video") as HTMLVideoElement;
    fireEvent.play(other);
    expect(other.hasAttribute("controls")).toBe(true);
    expect(screen.queryByTestId("video-play")).toBeNull();
  });

  it("a poster that does not load gives way to the video's first frame", () => {
    card(succeededTurn({ media: { video: "c_1/t.mp4", preview: "c_1/t.webp", state: "done", error: null } }));
    const frame = screen.getByTestId("video-player");
    fireEvent.error(frame.querySelector("img") as HTMLImageElement);
    expect(frame.querySelector("img")).toBeNull();
    expect(frame.querySelector("video")?.getAttribute("src")).toBe("http://127.0.0.1:4321/tok/c_1/t.mp4");
    expect(screen.getByTestId("video-play")).toBeTruthy();
  });

  it("falls back to the remote video and preview when there is no local copy", () => {
    card(succeededTurn({ media: { video: null, preview: null, state: "failed", error: "disk full" } }));
    const frame = screen.getByTestId("video-player");
    expect(frame.dataset["src"]).toBe("https://cdn.example.test/v.mp4");
    expect(frame.querySelector("img")?.getAttribute("src")).toBe("https://cdn.example.test/p.webp");
    expect(screen.getByTestId("media-failed").textContent).toBe(
      "The video could not be saved to this computer: disk full The online link still plays, but it usually expires after about a day.",
    );
  });

  it("says why a download was refused, by kind, and plays nothing from a private address", () => {
    card(
      succeededTurn({
        media: { video: null, preview: null, state: "failed", error: "blocked: 10.0.0.1", error_kind: "blocked" },
        reply: { ...succeededTurn().reply, video_url: "http://10.0.0.1/v.mp4", preview_image_url: "http://10.0.0.1/p.jpg" },
      }),
    );
    expect(screen.queryByTestId("video-player")).toBeNull();
    expect(screen.getByTestId("media-failed").textContent).toBe(
      "The video could not be saved to this computer: the link points at this computer or a private network, and ReelChat does not download from there for a remote server.",
    );
  });

  it("offers continue-from-here, or says it is the head", () => {
    const onContinue = vi.fn();
    const { unmount } = card(succeededTurn(), { onContinue });
    fireEvent.click(screen.getByTestId("continue-from-here"));
    expect(onContinue).toHaveBeenCalledWith("t_1");
    unmount();
    card(succeededTurn(), { isHead: true });
    expect(screen.queryByTestId("continue-from-here")).toBeNull();
    expect(screen.getByTestId("head-note").textContent).toBe("Your next message changes this version");
  });

  it("toggles the server text", async () => {
    card(succeededTurn());
    expect(screen.queryByTestId("server-text")).toBeNull();
    fireEvent.click(screen.getByTestId("show-server-text"));
    expect((await screen.findByTestId("server-text")).textContent).toContain("视频文件");
    expect(screen.getByTestId("show-server-text").getAttribute("aria-expanded")).toBe("true");
  });
});

describe("ReplyCard when interrupted", () => {
  const interrupted = () =>
    runningTurn(44, {
      status: "interrupted",
      failure: fail("network", "connection reset"),
      steps: { queued_at: 1_760_000_002_000, generating_at: 1_760_000_005_000, finished_at: 1_760_000_060_000 },
    });

  it("keeps the partial reply and offers check status and retry", () => {
    const onRetry = vi.fn();
    card(interrupted(), { onRetry });
    expect(screen.getByTestId("task-id").textContent).toBe(TASK.id);
    expect(screen.getByTestId("progress").getAttribute("aria-valuenow")).toBe("44");
    expect(screen.getByTestId("error-message").dataset["kind"]).toBe("network");
    expect(screen.getByTestId("step-generating").dataset["state"]).toBe("failed");
    expect(screen.getByTestId("step-done").dataset["state"]).toBe("failed");
    expect(screen.getByTestId("check-status")).toBeTruthy();
    fireEvent.click(screen.getByTestId("retry"));
    expect(onRetry).toHaveBeenCalled();
  });

  it("check status says what the server reports", async () => {
    handlers["check_status"] = () => ({ turn: interrupted(), remote_status: "running" });
    const { props } = card(interrupted());
    fireEvent.click(screen.getByTestId("check-status"));
    await waitFor(() => expect(screen.getByTestId("check-result").textContent).toBe("Still generating on the server (44%)."));
    expect(invoke).toHaveBeenCalledWith("check_status", { conversationId: "c_1", turnId: "t_1" });
    expect(props.onChanged).toHaveBeenCalled();
  });
});

describe("ReplyCard check status, stop and failure details", () => {
  const interruptedWith = (task: TurnRecord["reply"]["task"], failure = fail("network", "connection reset")) =>
    runningTurn(44, {
      status: "interrupted",
      failure,
      reply: makeReply({ phase: "generating", task, task_ids: task ? [task.id] : [], progress: 44 }),
    });

  it("offers check status only when the task has a raw data link", () => {
    card(interruptedWith({ ...TASK, raw_data_url: null }));
    expect(screen.queryByTestId("check-status")).toBeNull();
    expect(screen.getByTestId("open-task-page")).toBeTruthy();
    expect(screen.getByTestId("retry")).toBeTruthy();
    expect(screen.getByTestId("end-note").textContent).toBe(
      "The connection ended before the video arrived. The task may still finish on the server.",
    );
    cleanup();
    card(interruptedWith({ ...TASK, raw_data_url: null, task_page_url: null }));
    expect(screen.queryByTestId("check-status")).toBeNull();
    expect(screen.queryByTestId("open-task-page")).toBeNull();
    expect(screen.getByTestId("retry")).toBeTruthy();
    cleanup();
    card(interruptedWith(TASK));
    expect(screen.getByTestId("check-status")).toBeTruthy();
    expect(screen.getByTestId("end-note").textContent).toBe(
      "The connection ended before the video arrived. The task may still finish on the server: check its status before retrying.",
    );
  });

  it("after Stop, says the task may still finish instead of blaming the connection", async () => {
    card(interruptedWith(TASK, fail("cancelled", "stopped by the user")));
    expect(screen.getByTestId("error-message").textContent).toBe("Stopped.");
    expect(screen.getByTestId("end-note").textContent).toBe(
      "The task may still finish on the server — use “Check status” to see.",
    );
    cleanup();
    card(interruptedWith({ ...TASK, raw_data_url: null }, fail("cancelled", "stopped by the user")));
    expect(screen.getByTestId("end-note").textContent).toBe("The task may still finish on the server.");
    expect(screen.queryByTestId("check-status")).toBeNull();
    cleanup();
    // Stopped before the server queued a task: nothing may finish, no note.
    card(interruptedWith(null, fail("cancelled", "stopped by the user")));
    expect(screen.queryByTestId("end-note")).toBeNull();
    cleanup();
    const i18n = initI18n("zh-CN");
    card(interruptedWith(TASK, fail("cancelled", "stopped by the user")));
    expect(screen.getByTestId("end-note").textContent).toBe("任务可能仍会在服务器上完成，可以点“检查状态”查看。");
    await act(() => i18n.changeLanguage("en"));
  });

  it("hides a locally made message behind Details", () => {
    card(interruptedWith(TASK, fail("network", "error sending request: connection reset by peer")));
    expect(screen.getByTestId("error-message").textContent).toBe("The network connection failed or was lost.");
    expect(screen.queryByTestId("error-detail")).toBeNull();
    expect(screen.queryByText(/connection reset by peer/)).toBeNull();
    const toggle = screen.getByTestId("error-details-toggle");
    expect(toggle.textContent).toBe("Details");
    expect(toggle.getAttribute("aria-expanded")).toBe("false");
    fireEvent.click(toggle);
    expect(toggle.getAttribute("aria-expanded")).toBe("true");
    expect(screen.getByTestId("error-details").textContent).toBe("error sending request: connection reset by peer");
    fireEvent.click(toggle);
    expect(screen.queryByTestId("error-details")).toBeNull();
  });

  it("shows the server's words inline", () => {
    card(makeTurn({ status: "failed", failure: fail("auth", "无效的令牌 (request id: 1795)") }));
    expect(screen.getByTestId("error-detail").textContent).toBe("无效的令牌 (request id: 1795)");
    expect(screen.queryByTestId("error-details-toggle")).toBeNull();
  });

  it("says in the UI language that the app closed before the reply finished", async () => {
    const i18n = initI18n("zh-CN");
    card(interruptedWith(TASK, fail("network", "the app closed before the reply finished")));
    expect(screen.getByTestId("error-message").textContent).toBe("网络连接失败或中断。");
    expect(screen.getByTestId("error-detail").textContent).toBe("应用在回复完成前关闭了。");
    expect(screen.queryByTestId("error-details-toggle")).toBeNull();
    expect(screen.queryByText("the app closed before the reply finished")).toBeNull();
    await act(() => i18n.changeLanguage("en"));
    expect(screen.getByTestId("error-detail").textContent).toBe("The app closed before the reply finished.");
  });
});

describe("ReplyCard failures", () => {
  const cases: [ErrorKind, string, string][] = [
    ["auth", "", "The API key is invalid or expired."],
    ["quota", "", "Your account is out of quota. Top it up and try again."],
    ["policy", "sentinel_block: violence", "Blocked by the content policy: sentinel_block: violence"],
    ["gateway", "502 Bad Gateway", "The server's gateway is unavailable. Try again later."],
    ["network", "", "The network connection failed or was lost."],
    ["timeout", "", "The server stopped responding for too long."],
    ["server", "", "The server had an error. Try again later."],
    ["generation_failed", "", "The video could not be generated."],
    ["protocol", "", "The server's reply was not understood. Check the API address."],
    ["cancelled", "", "Stopped."],
  ];
  it.each(cases)("%s shows its localized text", (kind, message, text) => {
    card(makeTurn({ status: "failed", failure: fail(kind, message), reply: makeReply({ phase: "failed" }) }));
    const el = screen.getByTestId("error-message");
    expect(el.dataset["kind"]).toBe(kind);
    expect(el.textContent).toBe(text);
  });

  it("rate_limited says how long to wait", () => {
    card(makeTurn({ status: "failed", failure: fail("rate_limited", "429", { retry_after_secs: 30 }) }));
    expect(screen.getByTestId("error-message").textContent).toBe("Too many requests. Try again in 30 s.");
  });

  it("auth offers to open the settings", () => {
    const { ctx } = card(makeTurn({ status: "failed", failure: fail("auth", "无效的令牌") }));
    fireEvent.click(screen.getByTestId("open-settings"));
    expect(ctx.openSettings).toHaveBeenCalled();
  });

  it("speaks Chinese", async () => {
    const i18n = initI18n("zh-CN");
    card(makeTurn({ status: "failed", failure: fail("auth", "") }));
    expect(screen.getByTestId("error-message").textContent).toBe("API 密钥无效或已过期。");
    expect(screen.getByTestId("open-settings").textContent).toBe("打开设置");
    cleanup();
    card(makeTurn({ status: "failed", failure: fail("cancelled", "") }));
    expect(screen.getByTestId("error-message").textContent).toBe("已停止。");
    await act(() => i18n.changeLanguage("en"));
  });

  it("a finished reply without a video is a generation failure", () => {
    card(makeTurn({ status: "failed", failure: null }));
    expect(screen.getByTestId("error-message").dataset["kind"]).toBe("generation_failed");
  });
});

describe("stepViews", () => {
  it("times each step, live while running", () => {
    const t = runningTurn(50);
    const [q, g, d] = stepViews(t, t.created_at + 65_000);
    expect(q).toMatchObject({ state: "done", elapsed: 3000 });
    expect(g).toMatchObject({ state: "active", elapsed: 60_000 });
    expect(d).toMatchObject({ state: "pending", elapsed: null });
  });

  it("a succeeded turn has every step done and a total", () => {
    const [q, g, d] = stepViews(succeededTurn(), 0);
    expect([q?.state, g?.state, d?.state]).toEqual(["done", "done", "done"]);
    expect(d?.elapsed).toBe(125_000);
  });
});
