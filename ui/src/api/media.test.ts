import { describe, expect, it } from "vitest";
import { isHttpUrl, localMediaUrl } from "./media";

describe("localMediaUrl", () => {
  it("encodes each path segment and drops dot segments", () => {
    expect(localMediaUrl("http://127.0.0.1:9/tok/", "c_x/t y#1.mp4")).toBe("http://127.0.0.1:9/tok/c_x/t%20y%231.mp4");
    expect(localMediaUrl("http://127.0.0.1:9/tok", "../c_x/./v.mp4")).toBe("http://127.0.0.1:9/tok/c_x/v.mp4");
  });
});

describe("isHttpUrl", () => {
  it("accepts only http and https", () => {
    expect(isHttpUrl("https://a.test/x")).toBe(true);
    expect(isHttpUrl("http://a.test")).toBe(true);
    for (const bad of ["javascript:alert(1)", "file:///etc/passwd", "data:text/html,x", "", null, undefined, "not a url"]) {
      expect(isHttpUrl(bad)).toBe(false);
    }
  });
});
