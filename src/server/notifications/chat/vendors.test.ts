import { createHash, createHmac } from "node:crypto";
import { describe, expect, it } from "vitest";
import { buildVendorRequest, dingTalkSign, feishuSign, readVendorAnswer, type ChatMessage } from "./vendors";

const message: ChatMessage = { title: "新工单 #1", markdown: "#### 新工单 #1", text: "新工单 #1", mentionMobiles: ["13800000000"], json: { eventId: "chat-1", type: "notifications", occurredAt: "2026-12-01T00:00:00.000Z", items: [] } };
const now = new Date(1_764_316_800_000);

describe("robot requests, as each vendor documents them", () => {
  it("DingTalk: timestamp in ms and sign = urlencode(base64(HmacSHA256(secret, ts + '\\n' + secret))) on the URL; markdown with atMobiles", () => {
    const sign = createHmac("sha256", "SECabc").update("1764316800000\nSECabc").digest("base64");
    expect(dingTalkSign("SECabc", 1_764_316_800_000)).toBe(sign);
    const req = buildVendorRequest("DINGTALK", { id: 1, webhookUrl: "https://oapi.dingtalk.com/robot/send?access_token=t" }, "SECabc", message, now);
    expect(req.url).toBe(`https://oapi.dingtalk.com/robot/send?access_token=t&timestamp=1764316800000&sign=${encodeURIComponent(sign)}`);
    expect(JSON.parse(req.init.body)).toEqual({ msgtype: "markdown", markdown: { title: "新工单 #1", text: "#### 新工单 #1\n\n@13800000000" }, at: { atMobiles: ["13800000000"], isAtAll: false } });
  });

  it("Feishu: timestamp in seconds, sign = base64(HmacSHA256(key = ts + '\\n' + secret, '')) in the body", () => {
    const sign = createHmac("sha256", "1764316800\nfs").update("").digest("base64");
    expect(feishuSign("fs", 1_764_316_800)).toBe(sign);
    const req = buildVendorRequest("FEISHU", { id: 1, webhookUrl: "https://open.feishu.cn/open-apis/bot/v2/hook/x" }, "fs", message, now);
    expect(JSON.parse(req.init.body)).toEqual({ timestamp: "1764316800", sign, msg_type: "text", content: { text: "新工单 #1" } });
  });

  it("WeCom: text with mentioned_mobile_list, the URL's key is the credential", () => {
    const req = buildVendorRequest("WECOM", { id: 1, webhookUrl: "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=k" }, null, message, now);
    expect(req.url).toBe("https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=k");
    expect(JSON.parse(req.init.body)).toEqual({ msgtype: "text", text: { content: "新工单 #1", mentioned_mobile_list: ["13800000000"] } });
  });

  it("generic webhook: our protocol's signature over timestamp, method, path with query and the body's hash", () => {
    const req = buildVendorRequest("WEBHOOK", { id: 7, webhookUrl: "https://hooks.example.com/in?team=ops" }, "whsec", message, now);
    const digest = createHash("sha256").update(req.init.body).digest("hex");
    const expected = createHmac("sha256", "whsec").update(`1764316800\nPOST\n/in?team=ops\n${digest}`).digest("hex");
    expect(req.init.headers).toMatchObject({ "X-Partner-Id": "relaydesk", "X-Key-Id": "chat-7", "X-Timestamp": "1764316800", "X-Signature": `v1=${expected}` });
  });
});

describe("robot answers", () => {
  it("errcode/code 0 is success; rate-limit codes wait and retry; other refusals are configuration errors", () => {
    expect(readVendorAnswer("DINGTALK", 200, '{"errcode":0,"errmsg":"ok"}', null)).toEqual({ ok: true });
    expect(readVendorAnswer("FEISHU", 200, '{"code":0,"msg":"success"}', null)).toEqual({ ok: true });
    expect(readVendorAnswer("FEISHU", 200, '{"StatusCode":0,"StatusMessage":"success"}', null)).toEqual({ ok: true });
    expect(readVendorAnswer("DINGTALK", 200, '{"errcode":130101,"errmsg":"send too fast"}', null)).toMatchObject({ ok: false, retryable: true, retryAfterMs: 600_000 });
    expect(readVendorAnswer("WECOM", 200, '{"errcode":45009,"errmsg":"api freq out of limit"}', null)).toMatchObject({ ok: false, retryable: true });
    expect(readVendorAnswer("FEISHU", 200, '{"code":11232,"msg":"frequency limited"}', null)).toMatchObject({ ok: false, retryable: true });
    expect(readVendorAnswer("DINGTALK", 200, '{"errcode":310000,"errmsg":"sign not match"}', null)).toEqual({ ok: false, retryable: false, error: "310000 sign not match" });
    expect(readVendorAnswer("WECOM", 502, "", null)).toMatchObject({ ok: false, retryable: true });
    expect(readVendorAnswer("WEBHOOK", 429, "", "30")).toMatchObject({ ok: false, retryable: true, retryAfterMs: 30_000 });
    expect(readVendorAnswer("WEBHOOK", 401, "", null)).toMatchObject({ ok: false, retryable: false });
    expect(readVendorAnswer("DINGTALK", 200, "<html>", null)).toMatchObject({ ok: false, retryable: true });
  });
});
