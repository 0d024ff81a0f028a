import { describe, expect, it } from "vitest";
import { clockOf, DRIFT_LIMIT, pauseBoth, playBoth, resync, seekBoth, sharedDuration, type MediaLike } from "./sync";

/** A media element stand-in: play/pause flip `paused`; time only moves when a test moves it. */
class FakeMedia implements MediaLike {
  currentTime = 0;
  paused = true;
  seeking = false;
  plays = 0;
  constructor(public duration: number) {}
  play() {
    this.plays++;
    this.paused = false;
    return Promise.resolve();
  }
  pause() {
    this.paused = true;
  }
}

describe("the shared timeline", () => {
  it("is the longer video's; the longer one is the clock", () => {
    const a = new FakeMedia(10);
    const b = new FakeMedia(15);
    expect(sharedDuration(a, b)).toBe(15);
    expect(clockOf(a, b)).toBe(b);
    expect(clockOf(new FakeMedia(10), new FakeMedia(10))).not.toBe(b);
    expect(sharedDuration(new FakeMedia(NaN), new FakeMedia(Infinity))).toBe(0);
  });
});

describe("play, pause and seek act on both", () => {
  it("play starts both from the same time", async () => {
    const a = new FakeMedia(10);
    const b = new FakeMedia(10);
    a.currentTime = 3;
    b.currentTime = 2.5;
    await playBoth(a, b);
    expect([a.paused, b.paused]).toEqual([false, false]);
    expect(b.currentTime).toBe(a.currentTime);
  });

  it("play at the end starts both over", async () => {
    const a = new FakeMedia(10);
    const b = new FakeMedia(8);
    a.currentTime = 10;
    b.currentTime = 8;
    await playBoth(a, b);
    expect([a.currentTime, b.currentTime]).toEqual([0, 0]);
    expect([a.paused, b.paused]).toEqual([false, false]);
  });

  it("play past the shorter video's end starts only the longer one", async () => {
    const a = new FakeMedia(10);
    const b = new FakeMedia(15);
    b.currentTime = 12;
    await playBoth(a, b);
    expect([a.paused, b.paused]).toEqual([true, false]);
    expect(a.currentTime).toBe(10); // held on its last frame
  });

  it("seek moves both, clamped to the timeline and to each video", () => {
    const a = new FakeMedia(10);
    const b = new FakeMedia(15);
    expect(seekBoth(a, b, 4.2)).toBe(4.2);
    expect([a.currentTime, b.currentTime]).toEqual([4.2, 4.2]);
    expect(seekBoth(a, b, 12)).toBe(12);
    expect([a.currentTime, b.currentTime]).toEqual([10, 12]);
    expect(seekBoth(a, b, 99)).toBe(15);
    expect(seekBoth(a, b, -3)).toBe(0);
  });

  it("pause stops both and lines the follower up with the clock", async () => {
    const a = new FakeMedia(10);
    const b = new FakeMedia(10);
    await playBoth(a, b);
    a.currentTime = 5;
    b.currentTime = 4.7;
    pauseBoth(a, b);
    expect([a.paused, b.paused]).toEqual([true, true]);
    expect(b.currentTime).toBe(5);
  });
});

describe("resync while playing", () => {
  it("leaves a small drift alone and pulls back a larger one", async () => {
    const a = new FakeMedia(10);
    const b = new FakeMedia(10);
    await playBoth(a, b);
    a.currentTime = 2;
    b.currentTime = 2 + DRIFT_LIMIT / 2;
    expect(resync(a, b)).toBe(false);
    expect(b.currentTime).toBe(2 + DRIFT_LIMIT / 2);
    b.currentTime = 2.4;
    expect(resync(a, b)).toBe(true);
    expect(b.currentTime).toBe(2);
  });

  it("does nothing while paused or seeking, or once the shorter video has ended", async () => {
    const a = new FakeMedia(10);
    const b = new FakeMedia(15);
    b.currentTime = 3;
    expect(resync(a, b)).toBe(false); // paused
    await playBoth(a, b);
    a.currentTime = 1;
    a.seeking = true;
    expect(resync(a, b)).toBe(false);
    a.seeking = false;
    b.currentTime = 12;
    a.currentTime = 10;
    a.pause();
    expect(resync(a, b)).toBe(false);
    expect(a.paused).toBe(true);
  });

  it("restarts a follower that stopped before its end (e.g. after seeking back)", async () => {
    const a = new FakeMedia(10);
    const b = new FakeMedia(15);
    await playBoth(a, b);
    a.pause(); // it had reached its end
    seekBoth(a, b, 2);
    expect(resync(a, b)).toBe(true);
    expect(a.paused).toBe(false);
  });
});
