import { describe, expect, it } from "vitest";
import { isHttpUrl, isRemoteMediaUrl, localMediaUrl } from "./media";

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

describe("isRemoteMediaUrl", () => {
  it("lets the webview load only https links on public hosts", () => {
    expect(isRemoteMediaUrl("https://cdn.example.com/v.mp4")).toBe(true);
    expect(isRemoteMediaUrl("https://8.8.8.8/v.mp4")).toBe(true);
  });

  it("refuses plain http, other schemes, and loopback / private / link-local addresses", () => {
    for (const bad of [
      "http://cdn.example.com/v.mp4",
      "https://127.0.0.1:8080/exfil",
      "https://localhost/v.mp4",
      "https://10.0.0.1/v.mp4",
      "https://172.16.5.4/v.mp4",
      "https://192.168.1.5/v.mp4",
      "https://169.254.169.254/latest/meta-data",
      "https://100.64.0.1/v.mp4",
      "https://0.0.0.0/v.mp4",
      "https://[::1]/v.mp4",
      "https://[fd00::1]/v.mp4",
      "https://[fe80::1]/v.mp4",
      "https://[::ffff:127.0.0.1]/v.mp4",
      "https://printer.local/v.mp4",
      "javascript:alert(1)",
      "data:video/mp4;base64,AAAA",
      "file:///etc/passwd",
      null,
      "",
    ]) {
      expect(isRemoteMediaUrl(bad), String(bad)).toBe(false);
    }
  });
});
