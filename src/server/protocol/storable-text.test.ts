import { describe, expect, it } from "vitest";
import { storableJson, storableText } from "./storable-text";

describe("the protocol's text rule: strip and keep", () => {
  it("removes U+0000 and turns a lone surrogate into U+FFFD, keeping every paired one", () => {
    expect(storableText("a\u0000b")).toBe("ab");
    expect(storableText("x\ud800y")).toBe("x\ufffdy");
    expect(storableText("x\udc00")).toBe("x\ufffd");
    expect(storableText("表情😀")).toBe("表情😀");
  });

  it("applies to every string of a parsed body, keys included, as JSON escapes arrive", () => {
    const value = storableJson('{"body":"hi\\u0000 \\ud83d","list":["\\udc00ok"],"k\\u0000ey":1}') as Record<string, unknown>;
    expect(value).toEqual({ body: "hi \ufffd", list: ["\ufffdok"], key: 1 });
  });
});
