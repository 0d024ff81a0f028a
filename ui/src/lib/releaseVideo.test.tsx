import { afterEach, describe, expect, it, vi } from "vitest";
import { cleanup, render } from "@testing-library/react";
import { releaseVideoOnUnmount } from "./releaseVideo";

afterEach(cleanup);

describe("releaseVideoOnUnmount", () => {
  it("stops the video and drops its source when the element leaves the page", () => {
    const pause = vi.spyOn(HTMLMediaElement.prototype, "pause").mockImplementation(() => {});
    const load = vi.spyOn(HTMLMediaElement.prototype, "load").mockImplementation(() => {});
    const { container, unmount } = render(<video ref={releaseVideoOnUnmount} src="http://127.0.0.1:9/t/v.mp4" />);
    const video = container.querySelector("video") as HTMLVideoElement;
    expect(video.getAttribute("src")).toBe("http://127.0.0.1:9/t/v.mp4");
    unmount();
    expect(pause).toHaveBeenCalled();
    expect(load).toHaveBeenCalled();
    expect(video.hasAttribute("src")).toBe(false);
  });
});
