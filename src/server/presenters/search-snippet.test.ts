import { describe, expect, it } from "vitest";
import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { Highlighted } from "@/components/search-highlight";
import { hasHit, highlight, snippet } from "./search-snippet";

const hits = (pieces: { text: string; hit: boolean }[] | null) => (pieces ?? []).filter((p) => p.hit).map((p) => p.text);

describe("search snippets", () => {
  it("marks a CJK unit anywhere in a run, and Latin / ops tokens only whole", () => {
    expect(hits(highlight("我要申请退款处理", ["退款"]))).toEqual(["退款"]);
    expect(hits(highlight("10.0.0.150 and 10.0.0.15, then 10.0.0.15:22", ["10.0.0.15"]))).toEqual(["10.0.0.15", "10.0.0.15"]);
    expect(hits(highlight("VPS-100860 VPS-10086.", ["vps-10086"]))).toEqual(["VPS-10086"]);
    expect(hits(highlight("SSH 连接超时", ["ssh", "连接超时"]))).toEqual(["SSH", "连接超时"]);
    expect(hasHit(highlight("nothing here", ["退款"]))).toBe(false);
  });

  it("folds as the tokenizer does (full-width, case) but returns the original characters", () => {
    expect(hits(highlight("ＩＰ １９２．１６８．１．１ 不通", ["192.168.1.1"]))).toEqual(["１９２．１６８．１．１"]);
    expect(hits(highlight("Nginx 报错", ["nginx"]))).toEqual(["Nginx"]);
  });

  it("cuts a window around the first hit with ellipses; null when nothing is visible", () => {
    const long = `${"前".repeat(100)}退款${"后".repeat(100)}`;
    const s = snippet(long, ["退款"], 30)!;
    expect(s[0]).toEqual({ text: "…", hit: false });
    expect(s.at(-1)).toEqual({ text: "…", hit: false });
    expect(hits(s)).toEqual(["退款"]);
    expect(s.map((p) => p.text).join("").length).toBeLessThanOrEqual(32);
    expect(snippet("无关内容", ["退款"])).toBeNull();
  });

  it("XSS: a ticket's markup stays text, in the pieces and in the rendered HTML", () => {
    const body = `<img src=x onerror="alert(1)"> 退款 <script>alert(2)</script>`;
    const pieces = snippet(body, ["退款"])!;
    expect(pieces.map((p) => p.text).join("")).toBe(body);
    const html = renderToStaticMarkup(createElement(Highlighted, { pieces }));
    expect(html).not.toContain("<img");
    expect(html).not.toContain("<script");
    expect(html).toContain("&lt;img src=x onerror=&quot;alert(1)&quot;&gt;");
    expect(html).toContain('<mark data-testid="search-hit"');
  });
});
