import { describe, expect, it } from "vitest";
import { conversationsOf, defaultPartner, filterItems, isFiltered, modelsOf, NO_FILTER } from "./filter";
import { makeItem, sampleLibrary } from "./fixtures";

const ids = (items: { turn_id: string }[]) => items.map((i) => i.turn_id);

describe("filterItems", () => {
  const items = sampleLibrary();

  it("keeps everything without a filter", () => {
    expect(ids(filterItems(items, NO_FILTER))).toEqual(["t_b1", "t_3", "t_2", "t_1"]);
    expect(isFiltered(NO_FILTER)).toBe(false);
  });

  it("finds words in the prompt, the chat's title or the model, case-insensitively; every word must match", () => {
    expect(ids(filterItems(items, { ...NO_FILTER, query: "光圈" }))).toEqual(["t_2"]);
    expect(ids(filterItems(items, { ...NO_FILTER, query: "CAT earth" }))).toEqual(["t_b1"]);
    expect(ids(filterItems(items, { ...NO_FILTER, query: "牛马跳舞" }))).toEqual(["t_3", "t_2", "t_1"]); // the chat's title
    expect(ids(filterItems(items, { ...NO_FILTER, query: "pro" }))).toEqual(["t_b1"]);
    expect(ids(filterItems(items, { ...NO_FILTER, query: "cat 光圈" }))).toEqual([]);
    expect(ids(filterItems(items, { ...NO_FILTER, query: "  " }))).toEqual(["t_b1", "t_3", "t_2", "t_1"]);
  });

  it("finds a version by its number", () => {
    expect(ids(filterItems(items, { ...NO_FILTER, query: "v3" }))).toEqual(["t_3"]);
  });

  it("filters by model and by chat, together with the words", () => {
    expect(ids(filterItems(items, { ...NO_FILTER, model: "sora-2" }))).toEqual(["t_3", "t_2", "t_1"]);
    expect(ids(filterItems(items, { ...NO_FILTER, conversation: "c_2" }))).toEqual(["t_b1"]);
    expect(ids(filterItems(items, { query: "夜景", model: "sora-2", conversation: "c_1" }))).toEqual(["t_3"]);
    expect(ids(filterItems(items, { query: "", model: "sora-2-pro", conversation: "c_1" }))).toEqual([]);
    expect(isFiltered({ ...NO_FILTER, model: "sora-2" })).toBe(true);
  });

  it("lists the models and the chats for the filters", () => {
    expect(modelsOf(items)).toEqual(["sora-2", "sora-2-pro"]);
    expect(conversationsOf(items)).toEqual([
      { id: "c_2", title: "Cat astronaut" },
      { id: "c_1", title: "牛马跳舞" },
    ]);
  });
});

describe("defaultPartner", () => {
  const items = sampleLibrary();
  const byId = (id: string) => items.find((i) => i.turn_id === id)!;

  it("compares a version with the one it changed", () => {
    expect(defaultPartner(items, byId("t_3"))?.turn_id).toBe("t_1");
  });

  it("else with the version before it in the same chat, else the one after", () => {
    const noParent = items.map((i) => (i.turn_id === "t_3" ? { ...i, parent_version: null } : i));
    expect(defaultPartner(noParent, noParent.find((i) => i.turn_id === "t_3")!)?.turn_id).toBe("t_2");
    expect(defaultPartner(items, byId("t_1"))?.turn_id).toBe("t_2");
  });

  it("else with the newest video of another chat, and with nothing when it is alone", () => {
    expect(defaultPartner(items, byId("t_b1"))?.turn_id).toBe("t_3");
    const alone = makeItem();
    expect(defaultPartner([alone], alone)).toBeNull();
  });
});
