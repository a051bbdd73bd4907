// A local stand-in for the chat vendors' robot endpoints (127.0.0.1, a free port). Each route
// checks the signature the way the vendor's documentation defines it — written here from the docs,
// not with our sender's code — and enforces the vendor's rate limit, answering as the vendor does.
import { createHash, createHmac } from "node:crypto";
import http from "node:http";

export type RobotMessage = { vendor: "dingtalk" | "wecom" | "feishu" | "webhook"; at: number; body: Record<string, unknown>; rawBody: string; headers: http.IncomingHttpHeaders; url: string };

export class RobotReceiver {
  readonly messages: RobotMessage[] = [];
  /** Requests refused for a wrong signature or over the limit (should stay empty). */
  readonly refusals: { vendor: string; reason: string }[] = [];
  secrets = { dingtalk: "SECdingtalk-test-secret", feishu: "feishu-test-secret", wecomKey: "wecom-key-123", webhook: "webhook-test-secret" };
  /** The receiver's clock (tests move it with the sender's). */
  now: () => number = () => Date.now();
  private server?: http.Server;
  port = 0;

  get baseUrl() {
    return `http://127.0.0.1:${this.port}`;
  }

  of(vendor: RobotMessage["vendor"]) {
    return this.messages.filter((m) => m.vendor === vendor);
  }

  async start(): Promise<void> {
    this.server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (c: Buffer) => chunks.push(c));
      req.on("end", () => {
        const rawBody = Buffer.concat(chunks).toString("utf8");
        const url = new URL(req.url ?? "/", this.baseUrl);
        const answer = this.handle(url, req, rawBody);
        res.writeHead(answer.status, { "Content-Type": "application/json" });
        res.end(JSON.stringify(answer.body));
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, "127.0.0.1", () => resolve()));
    const address = this.server.address();
    this.port = typeof address === "object" && address ? address.port : 0;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  private within(vendor: RobotMessage["vendor"], ms: number) {
    const now = this.now();
    return this.of(vendor).filter((m) => m.at > now - ms).length;
  }

  private refuse(vendor: string, reason: string, body: Record<string, unknown>, status = 200) {
    this.refusals.push({ vendor, reason });
    return { status, body };
  }

  private handle(url: URL, req: http.IncomingMessage, rawBody: string): { status: number; body: Record<string, unknown> } {
    let body: Record<string, unknown> = {};
    try {
      body = JSON.parse(rawBody) as Record<string, unknown>;
    } catch {
      /* checked per vendor */
    }
    const record = (vendor: RobotMessage["vendor"]) => this.messages.push({ vendor, at: this.now(), body, rawBody, headers: req.headers, url: url.toString() });

    if (url.pathname === "/robot/send") {
      // DingTalk: timestamp (ms) within an hour; sign = urlencode(base64(HmacSHA256(secret, timestamp + "\n" + secret))).
      const ts = Number(url.searchParams.get("timestamp"));
      const expected = createHmac("sha256", this.secrets.dingtalk).update(`${ts}\n${this.secrets.dingtalk}`).digest("base64");
      // URLSearchParams has already url-decoded the sign.
      if (!ts || Math.abs(this.now() - ts) > 3_600_000 || url.searchParams.get("sign") !== expected) {
        return this.refuse("dingtalk", "sign", { errcode: 310000, errmsg: "sign not match" });
      }
      if (body.msgtype !== "markdown" && body.msgtype !== "text") return this.refuse("dingtalk", "msgtype", { errcode: 40035, errmsg: "msgtype missing" });
      if (this.within("dingtalk", 60_000) >= 20) return this.refuse("dingtalk", "rate", { errcode: 130101, errmsg: "send too fast" });
      record("dingtalk");
      return { status: 200, body: { errcode: 0, errmsg: "ok" } };
    }
    if (url.pathname === "/cgi-bin/webhook/send") {
      if (url.searchParams.get("key") !== this.secrets.wecomKey) return this.refuse("wecom", "key", { errcode: 93000, errmsg: "invalid webhook url" });
      const text = (body.text as { content?: string } | undefined)?.content ?? "";
      if (body.msgtype !== "text" || Buffer.byteLength(text) > 2048) return this.refuse("wecom", "content", { errcode: 40058, errmsg: "content exceed max length" });
      if (this.within("wecom", 60_000) >= 20) return this.refuse("wecom", "rate", { errcode: 45009, errmsg: "api freq out of limit" });
      record("wecom");
      return { status: 200, body: { errcode: 0, errmsg: "ok" } };
    }
    if (url.pathname.startsWith("/open-apis/bot/v2/hook/")) {
      // Feishu: timestamp (s) within an hour; sign = base64(HmacSHA256(key = timestamp + "\n" + secret, message = "")).
      const ts = Number(body.timestamp);
      const expected = createHmac("sha256", `${ts}\n${this.secrets.feishu}`).update("").digest("base64");
      if (!ts || Math.abs(this.now() / 1000 - ts) > 3600 || body.sign !== expected) return this.refuse("feishu", "sign", { code: 19021, msg: "sign match fail or timestamp is not within one hour from current time" });
      if (rawBody.length > 20 * 1024) return this.refuse("feishu", "size", { code: 9499, msg: "request body too large" });
      if (this.within("feishu", 1_000) >= 5 || this.within("feishu", 60_000) >= 100) return this.refuse("feishu", "rate", { code: 11232, msg: "frequency limited" });
      record("feishu");
      return { status: 200, body: { code: 0, msg: "success", data: {} } };
    }
    if (url.pathname === "/webhook") {
      // Our protocol's signature: HMAC-SHA256 over "ts\nMETHOD\npath?query\nsha256(body)", header "v1=<hex>".
      const ts = String(req.headers["x-timestamp"] ?? "");
      const digest = createHash("sha256").update(rawBody).digest("hex");
      const expected = `v1=${createHmac("sha256", this.secrets.webhook).update(`${ts}\nPOST\n${url.pathname}${url.search}\n${digest}`).digest("hex")}`;
      if (req.headers["x-signature"] !== expected || Math.abs(this.now() / 1000 - Number(ts)) > 300) return this.refuse("webhook", "sign", { error: "invalid_signature" }, 401);
      record("webhook");
      return { status: 200, body: { ok: true } };
    }
    return { status: 404, body: {} };
  }
}
