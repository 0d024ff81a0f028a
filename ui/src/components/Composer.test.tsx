import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { cleanup, fireEvent, render, screen } from "@testing-library/react";
import { useState } from "react";
import { initI18n } from "../i18n";
import { Composer, NextTarget } from "./Composer";

beforeAll(() => {
  initI18n("en");
});
afterEach(cleanup);

function Harness({ onSend, running = false, initial = "hello" }: { onSend: (p: string) => void; running?: boolean; initial?: string }) {
  const [value, setValue] = useState(initial);
  const [model, setModel] = useState("sora-2");
  return (
    <Composer
      value={value}
      onChange={setValue}
      onSend={onSend}
      onStop={() => undefined}
      model={model}
      onModelChange={setModel}
      running={running}
      pending={false}
      placeholder="Describe"
    />
  );
}

describe("Composer keys", () => {
  it("sends on Enter", () => {
    const onSend = vi.fn();
    render(<Harness onSend={onSend} />);
    fireEvent.keyDown(screen.getByTestId("composer-input"), { key: "Enter", keyCode: 13 });
    expect(onSend).toHaveBeenCalledWith("hello");
  });

  it("does not send on Shift+Enter", () => {
    const onSend = vi.fn();
    render(<Harness onSend={onSend} />);
    fireEvent.keyDown(screen.getByTestId("composer-input"), { key: "Enter", keyCode: 13, shiftKey: true });
    expect(onSend).not.toHaveBeenCalled();
  });

  it("never sends while an IME is composing (isComposing)", () => {
    const onSend = vi.fn();
    render(<Harness onSend={onSend} />);
    fireEvent.keyDown(screen.getByTestId("composer-input"), { key: "Enter", keyCode: 13, isComposing: true });
    expect(onSend).not.toHaveBeenCalled();
  });

  it("never sends on keyCode 229 (the IME's Enter in WebKit)", () => {
    const onSend = vi.fn();
    render(<Harness onSend={onSend} />);
    fireEvent.keyDown(screen.getByTestId("composer-input"), { key: "Enter", keyCode: 229 });
    expect(onSend).not.toHaveBeenCalled();
  });

  it("never sends between compositionstart and compositionend", () => {
    const onSend = vi.fn();
    render(<Harness onSend={onSend} />);
    const input = screen.getByTestId("composer-input");
    fireEvent.compositionStart(input);
    fireEvent.keyDown(input, { key: "Enter", keyCode: 13 });
    expect(onSend).not.toHaveBeenCalled();
    fireEvent.compositionEnd(input);
    fireEvent.keyDown(input, { key: "Enter", keyCode: 13 });
    expect(onSend).toHaveBeenCalledTimes(1);
  });

  it("disables Send for an empty or whitespace prompt and says why", () => {
    const onSend = vi.fn();
    render(<Harness onSend={onSend} initial={"  \n "} />);
    expect((screen.getByTestId("send-button") as HTMLButtonElement).disabled).toBe(true);
    expect(screen.getByTestId("composer-hint").textContent).toBe("Type a description to send.");
    fireEvent.keyDown(screen.getByTestId("composer-input"), { key: "Enter", keyCode: 13 });
    expect(onSend).not.toHaveBeenCalled();
  });

  it("shows a counter near the limit and refuses more than 8000 characters", () => {
    const onSend = vi.fn();
    render(<Harness onSend={onSend} initial={"字".repeat(8001)} />);
    expect(screen.getByTestId("composer-counter").textContent).toBe("8001 / 8000");
    expect((screen.getByTestId("send-button") as HTMLButtonElement).disabled).toBe(true);
  });

  it("shows Stop instead of Send while running", () => {
    render(<Harness onSend={vi.fn()} running />);
    expect(screen.queryByTestId("send-button")).toBeNull();
    expect(screen.getByTestId("stop-button").textContent).toContain("Stop");
  });

  it("offers both models with what they mean", () => {
    render(<Harness onSend={vi.fn()} />);
    const options = [...(screen.getByTestId("model-picker") as HTMLSelectElement).options].map((o) => o.textContent);
    expect(options).toEqual(["sora-2 · Standard · 10 s", "sora-2-pro · HD · 15 s"]);
  });

  it("keeps a chosen model the list does not have, shown as it is", () => {
    render(
      <Composer
        value="x"
        onChange={() => undefined}
        onSend={() => undefined}
        onStop={() => undefined}
        model="sora2-portrait-15s"
        onModelChange={() => undefined}
        models={{ models: [{ id: "sora-2", video: true }], fallback: false, error: null }}
        running={false}
        pending={false}
        placeholder=""
      />,
    );
    const options = [...(screen.getByTestId("model-picker") as HTMLSelectElement).options].map((o) => o.textContent);
    expect(options).toEqual(["sora-2 · Standard · 10 s", "sora2-portrait-15s"]);
  });

  it("cannot send while an image is being prepared", () => {
    render(
      <Composer
        value="x"
        onChange={() => undefined}
        onSend={() => undefined}
        onStop={() => undefined}
        model="sora-2"
        onModelChange={() => undefined}
        onAttach={() => undefined}
        attaching
        running={false}
        pending={false}
        placeholder=""
      />,
    );
    expect((screen.getByTestId("send-button") as HTMLButtonElement).disabled).toBe(true);
    expect((screen.getByTestId("attach-button") as HTMLButtonElement).disabled).toBe(true);
  });
});

describe("NextTarget", () => {
  it("says a new video will be made when there is no head", () => {
    render(<NextTarget headVersion={null} onMakeNew={vi.fn()} />);
    expect(screen.getByTestId("next-target").textContent).toBe("Will make a new video");
  });

  it("says which version will change, with a way to make a new video instead", () => {
    const onMakeNew = vi.fn();
    render(<NextTarget headVersion={2} onMakeNew={onMakeNew} />);
    expect(screen.getByTestId("next-target").textContent).toContain("Will change v2");
    fireEvent.click(screen.getByText("Make a new video instead"));
    expect(onMakeNew).toHaveBeenCalled();
  });

  it("speaks Chinese too", async () => {
    const i18n = initI18n("zh-CN");
    render(<NextTarget headVersion={3} onMakeNew={vi.fn()} />);
    expect(screen.getByTestId("next-target").textContent).toContain("将修改 v3");
    expect(screen.getByTestId("next-target").textContent).toContain("改为生成新视频");
    await i18n.changeLanguage("en");
  });
});
