import { afterAll, beforeAll, describe, expect, it } from "vitest";
import superjson from "superjson";
import { z } from "zod";
import { createTestDatabase, type TestDatabase } from "@/test/db";
import { seedDemoData } from "@/server/db/seed-demo";
import { rateLimitsFor } from "@/server/rate-limits";
import { quietLiveHub } from "@/test/callers";
import type { Viewer } from "@/server/viewer";
import { TRPC_MAX_BATCH, TRPC_MAX_BODY_BYTES } from "@/lib/trpc-limits";
import { handleTrpcRequest } from "./http";
import { appRouter } from "./root";
import type { Context } from "./trpc";

/**
 * Every web door answers bad input with a 4xx. The procedures are enumerated from the router,
 * so a procedure added later is covered without touching this file: for each one a valid input
 * is built from its own schema, then every field in turn gets values PostgreSQL cannot hold or
 * the schema must refuse — ids ≥ 2^31, negative and fractional numbers, NaN, U+0000, lone
 * surrogates, over-long strings, wrong types — sent over the real HTTP handler (batched, as the
 * browser does). Nothing may answer 5xx; the out-of-range classes must answer 400.
 */

type JsonSchema = {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  anyOf?: JsonSchema[];
  enum?: unknown[];
  const?: unknown;
  format?: string;
  pattern?: string;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  exclusiveMinimum?: number;
  maximum?: number;
  minItems?: number;
  default?: unknown;
};
type Procedure = { _def: { type: "query" | "mutation" | "subscription"; inputs: z.ZodType[] } };

const procedures = Object.entries((appRouter as unknown as { _def: { procedures: Record<string, Procedure> } })._def.procedures);

// Strings for formats and patterns, tried in order until one fits the schema.
const STRING_CANDIDATES = ["probe", "1100001", "13800138000", "12345678", "probe-1", "2026-01-01", "https://example.com/hook", "probe@x.cn", "a".repeat(64), "0".repeat(64)];

function sample(s: JsonSchema): unknown {
  if (s.default !== undefined) return s.default;
  if (s.const !== undefined) return s.const;
  if (s.enum) return s.enum[0];
  if (s.anyOf) return sample(s.anyOf.find((o) => o.type !== "null") ?? s.anyOf[0]!);
  const type = Array.isArray(s.type) ? s.type.find((t) => t !== "null") : s.type;
  switch (type) {
    case "object":
      return Object.fromEntries(Object.entries(s.properties ?? {}).map(([k, v]) => [k, sample(v)]));
    case "array":
      return s.minItems ? Array.from({ length: s.minItems }, () => sample(s.items ?? {})) : [];
    case "integer":
    case "number":
      return Math.max(1, s.minimum ?? 1, (s.exclusiveMinimum ?? 0) + 1);
    case "boolean":
      return false;
    case "string": {
      if (s.format === "email") return "probe@x.cn";
      if (s.format === "uri" || s.format === "url") return "https://example.com/hook";
      const fits = (v: string) => (!s.pattern || new RegExp(s.pattern, "u").test(v)) && v.length >= (s.minLength ?? 0) && v.length <= (s.maxLength ?? Infinity);
      return STRING_CANDIDATES.find(fits) ?? "x".repeat(Math.max(1, s.minLength ?? 1));
    }
    default:
      return "probe";
  }
}

/**
 * JSON Schema cannot say what a refinement wants (a URL check, a regex inside a pipe): for each
 * field the schema still refuses, try the candidates until it accepts one.
 */
function validInput(schema: z.ZodType): unknown {
  let value = sample(z.toJSONSchema(schema, { io: "input", unrepresentable: "any" }) as JsonSchema);
  for (let round = 0; round < 5; round++) {
    const parsed = schema.safeParse(value);
    if (parsed.success) return value;
    const at = parsed.error.issues[0]!.path.map(String);
    const fix = STRING_CANDIDATES.map((c) => replaceAt(value, at, c)).find((v) => {
      const r = schema.safeParse(v);
      return r.success || !r.error.issues.some((i) => i.path.map(String).join(".") === at.join("."));
    });
    if (fix === undefined) return value;
    value = fix;
  }
  return value;
}

const b64 = (s: string) => Buffer.from(s).toString("base64url");
// Values a schema must refuse whatever the field means (PostgreSQL could not hold them, or they are not numbers/text at all).
const OUT_OF_RANGE_NUMBERS = [2 ** 31, 2 ** 53, 1e308, 0.5, 1.0000001, -(2 ** 31) - 1, NaN, Infinity];
const UNSTORABLE_STRINGS = ["\u0000", "a\u0000b", "\uD800", "x\uDC00y", "x".repeat(100_000)];
// Values that may be legal somewhere but must never be a 5xx.
const ODD_NUMBERS = [-1, 0, 2 ** 31 - 1];
const ODD_STRINGS = ["", " ", "2147483648", "99999999999999999999", "-1", "1.5", "1e309", b64("9999999999999999.9999999999"), b64("1.2147483648"), b64("-1.-1"), "%00", "../../etc/passwd", "'; DROP TABLE \"Ticket\"; --", "\u202Eevil.png"];
const WRONG_TYPES: unknown[] = [null, true, "1", 1, {}, [], [null], { __proto__: { polluted: true } }, BigInt(2) ** BigInt(70), new Date(Number.NaN)];

type Case = { path: string; value: unknown; mustBe400: boolean };

/** One case per (field, value): the valid input with exactly one field replaced. */
function casesFor(schema: JsonSchema, base: unknown): Case[] {
  const out: Case[] = [];
  const walk = (s: JsonSchema, at: string[]) => {
    const node = s.anyOf ? (s.anyOf.find((o) => o.type !== "null") ?? s) : s;
    const type = Array.isArray(node.type) ? node.type.find((t) => t !== "null") : node.type;
    const put = (value: unknown, mustBe400: boolean) => out.push({ path: at.join(".") || "(input)", value: replaceAt(base, at, value), mustBe400 });
    if (type === "object" && node.properties) {
      for (const [k, v] of Object.entries(node.properties)) walk(v, [...at, k]);
    } else if (type === "array") {
      if (node.items) walk(node.items, [...at, "0"]);
      put(Array.from({ length: 10_000 }, () => 1), false);
    } else if (type === "integer" || type === "number") {
      for (const v of OUT_OF_RANGE_NUMBERS) put(v, true);
      for (const v of ODD_NUMBERS) put(v, false);
    } else if (type === "string") {
      for (const v of UNSTORABLE_STRINGS) put(v, true);
      for (const v of ODD_STRINGS) put(v, false);
    }
    for (const v of WRONG_TYPES) put(v, false);
  };
  walk(schema, []);
  return out;
}

function replaceAt(base: unknown, at: string[], value: unknown): unknown {
  if (at.length === 0) return value;
  const [head, ...rest] = at;
  if (Array.isArray(base) || head === "0") {
    const arr = Array.isArray(base) && base.length > 0 ? [...base] : [undefined];
    arr[0] = replaceAt(arr[0], rest, value);
    return arr;
  }
  const obj = (typeof base === "object" && base !== null ? base : {}) as Record<string, unknown>;
  return { ...obj, [head!]: replaceAt(obj[head!], rest, value) };
}

let t: TestDatabase;
const VIEWERS: Record<string, Viewer> = {
  superAdmin: { kind: "staff", staffId: 1, name: "超级管理员", role: "SUPER_ADMIN" },
  member: { kind: "member", memberId: 1100001, name: "张三" },
  anonymous: { kind: "anonymous" },
};
const contextFor = (viewer: Viewer) => async (): Promise<Context> => ({
  db: t.prisma,
  viewer,
  locale: "zh-CN",
  timeZone: "Asia/Shanghai",
  limits: rateLimitsFor(t.prisma),
  clientAddress: "192.0.2.200",
  live: quietLiveHub(t.prisma),
});

type CallResult = { httpStatus: number; code?: string; message?: string };

/** One batched HTTP call of `path` with each input; the status of every call in the batch. */
async function callBatch(path: string, type: Procedure["_def"]["type"], inputs: unknown[], viewer: Viewer): Promise<{ status: number; results: CallResult[] }> {
  const payload = Object.fromEntries(inputs.map((input, i) => [String(i), superjson.serialize(input)]));
  const paths = inputs.map(() => path).join(",");
  const url = new URL(`http://relaydesk.test/api/trpc/${paths}?batch=1`);
  let req: Request;
  if (type === "query") {
    url.searchParams.set("input", JSON.stringify(payload));
    req = new Request(url, { method: "GET" });
  } else {
    req = new Request(url, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(payload) });
  }
  const res = await handleTrpcRequest(req, contextFor(viewer));
  const answer = (await res.json()) as unknown;
  // A refused batch as a whole (too many calls) answers one error, not one per call.
  const body = (Array.isArray(answer) ? answer : inputs.map(() => answer)) as { error?: { json: { data: { httpStatus: number; code: string }; message: string } } }[];
  return {
    status: res.status,
    results: body.map((r) => (r.error ? { httpStatus: r.error.json.data.httpStatus, code: r.error.json.data.code, message: r.error.json.message } : { httpStatus: 200 })),
  };
}

beforeAll(async () => {
  t = await createTestDatabase();
  await seedDemoData(t.prisma);
});
afterAll(() => t.close());

describe(`every procedure refuses bad input with a 4xx (${process.env.TEST_DATABASE_URL ? "postgres" : "pglite"})`, () => {
  it("the router is enumerated: every procedure of every area is walked", () => {
    expect(procedures.length).toBeGreaterThan(50);
    for (const area of ["portal", "console", "account", "categories", "escalation", "partners", "upstreams", "staff"]) {
      expect(procedures.some(([p]) => p.startsWith(`${area}.`))).toBe(true);
    }
  });

  it("a valid input can be built from every procedure's own schema (so the bad values reach past the other fields)", () => {
    const unbuildable = procedures
      .filter(([, p]) => p._def.inputs.length > 0)
      .filter(([, p]) => {
        const schema = p._def.inputs[0]!;
        return !schema.safeParse(validInput(schema)).success;
      })
      .map(([path]) => path);
    expect(unbuildable).toEqual([]);
  });

  it("ids ≥ 2^31, fractions, NaN, U+0000, lone surrogates, over-long text → 400; negatives, odd strings, wrong types → never 5xx", { timeout: 600_000 }, async () => {
    expect.hasAssertions();
    const fiveHundreds: string[] = [];
    const notRefused: string[] = [];
    let calls = 0;
    for (const [path, proc] of procedures) {
      if (proc._def.type === "subscription") continue;
      const schema = proc._def.inputs[0];
      const json = schema ? (z.toJSONSchema(schema, { io: "input", unrepresentable: "any" }) as JsonSchema) : { type: "object", properties: {} };
      const base = schema ? validInput(schema) : undefined;
      // The first viewer the procedure lets in: the bad values must meet its input parser, not its door.
      let viewer = VIEWERS.superAdmin!;
      for (const v of Object.values(VIEWERS)) {
        const probe = await callBatch(path, proc._def.type, [base], v);
        if (probe.results[0]!.httpStatus !== 401 && probe.results[0]!.httpStatus !== 403) {
          viewer = v;
          break;
        }
      }
      const cases: Case[] = schema ? casesFor(json, base) : WRONG_TYPES.map((value) => ({ path: "(input)", value, mustBe400: false }));
      for (let i = 0; i < cases.length; i += TRPC_MAX_BATCH) {
        const chunk = cases.slice(i, i + TRPC_MAX_BATCH);
        const { status, results } = await callBatch(path, proc._def.type, chunk.map((c) => c.value), viewer);
        calls += chunk.length;
        if (status >= 500) fiveHundreds.push(`${path}: batch answered ${status}`);
        results.forEach((r, j) => {
          const c = chunk[j]!;
          const label = `${path} ${c.path}=${JSON.stringify(superjson.serialize(c.value).json)?.slice(0, 60)}`;
          if (r.httpStatus >= 500) fiveHundreds.push(`${label} → ${r.httpStatus} ${r.message ?? ""}`);
          else if (c.mustBe400 && r.httpStatus !== 400) notRefused.push(`${label} → ${r.httpStatus}`);
        });
      }
    }
    expect(calls).toBeGreaterThan(2000);
    expect(fiveHundreds).toEqual([]);
    expect(notRefused).toEqual([]);
  });

  it("the refusal names the field in the user's language: U+0000 in a reply body", async () => {
    const { results } = await callBatch("portal.reply", "mutation", [{ ticketId: 1, body: "坏\u0000字符" }], VIEWERS.member!);
    expect(results[0]).toMatchObject({ httpStatus: 400, message: "输入有误，请检查标红的字段" });
    const res = await handleTrpcRequest(
      new Request("http://relaydesk.test/api/trpc/portal.reply", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ json: { ticketId: 1, body: "坏\u0000字符" } }) }),
      contextFor(VIEWERS.member!),
    );
    const body = (await res.json()) as { error: { json: { data: { fieldErrors: Record<string, string> } } } };
    expect(res.status).toBe(400);
    expect(body.error.json.data.fieldErrors).toEqual({ body: "包含无法保存的字符（如 U+0000 或不成对的代理字符），请删除后重试" });
  });

  it(`a batch is capped at ${TRPC_MAX_BATCH} calls (one request cannot carry a hundred registrations)`, async () => {
    const inputs = Array.from({ length: TRPC_MAX_BATCH + 1 }, () => ({}));
    const { status } = await callBatch("account.me", "query", inputs, VIEWERS.anonymous!);
    expect(status).toBe(400);
    expect((await callBatch("account.me", "query", inputs.slice(1), VIEWERS.anonymous!)).status).toBe(200);
  });

  it("malformed bodies (not JSON, broken superjson, oversized) answer 4xx, never 5xx", async () => {
    const post = (body: string, path = "portal.reply") =>
      handleTrpcRequest(new Request(`http://relaydesk.test/api/trpc/${path}`, { method: "POST", headers: { "content-type": "application/json" }, body }), contextFor(VIEWERS.member!));
    for (const body of ["{", "null", '{"json":1,"meta":{"values":{"ticketId":["custom","nope"]}}}', '{"json":{"ticketId":1},"meta":{"values":{"ticketId":["map"]}}}', '{"json":{"ticketId":1,"body":"x"},"meta":{"values":{"__proto__":["set"],"body":["bigint"]}}}']) {
      const res = await post(body);
      expect(res.status, body).toBeGreaterThanOrEqual(400);
      expect(res.status, body).toBeLessThan(500);
    }
    expect((await post(" ".repeat(TRPC_MAX_BODY_BYTES + 1))).status).toBe(413);
  });

  it("answers carry Cache-Control: private, no-store (personal data, per viewer)", async () => {
    const res = await handleTrpcRequest(new Request("http://relaydesk.test/api/trpc/account.profile"), contextFor(VIEWERS.member!));
    expect(res.status).toBe(200);
    expect(res.headers.get("cache-control")).toBe("private, no-store");
  });
});
