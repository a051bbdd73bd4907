import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "./config";

const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), "relaydesk-config-"));

describe("configuration", () => {
  it("the embedded demo needs no settings and keeps a generated secret in its data folder", () => {
    const dir = tmp();
    const a = loadConfig({ RELAYDESK_DATA_DIR: dir });
    const b = loadConfig({ RELAYDESK_DATA_DIR: dir });
    expect(a.database).toEqual({ kind: "pglite", dataDir: path.join(dir, "pglite") });
    expect(a.authSecret).toHaveLength(64);
    expect(b.authSecret).toBe(a.authSecret);
    expect(a.demoData).toBe(true);
    expect(a.publicUrl).toBe("http://localhost:3000");
  });

  it("PostgreSQL without AUTH_SECRET stops the start with one clear line", () => {
    expect(() => loadConfig({ DATABASE_URL: "postgresql://x@localhost/db" })).toThrow(ConfigError);
    expect(() => loadConfig({ DATABASE_URL: "postgresql://x@localhost/db" })).toThrow(/^relaydesk: setting AUTH_SECRET is required/);
  });

  it("the outbox retry base is a setting: unset keeps the 30 s default, a value is taken, nonsense is refused", () => {
    const dir = tmp();
    expect(loadConfig({ RELAYDESK_DATA_DIR: dir }).retryBaseMs).toBeUndefined();
    expect(loadConfig({ RELAYDESK_DATA_DIR: dir, RELAYDESK_RETRY_BASE_MS: "1000" }).retryBaseMs).toBe(1000);
    expect(() => loadConfig({ RELAYDESK_DATA_DIR: dir, RELAYDESK_RETRY_BASE_MS: "5" })).toThrow(/^relaydesk: setting RELAYDESK_RETRY_BASE_MS /);
  });

  it("Redis and the metrics token are off unless set; a wrong value is refused", () => {
    const dir = tmp();
    expect(loadConfig({ RELAYDESK_DATA_DIR: dir })).toMatchObject({ redisUrl: null, redisKeyPrefix: "relaydesk:", metricsToken: null });
    expect(loadConfig({ RELAYDESK_DATA_DIR: dir, REDIS_URL: "redis://127.0.0.1:6379", REDIS_KEY_PREFIX: "desk2:", METRICS_TOKEN: "t".repeat(16) })).toMatchObject({
      redisUrl: "redis://127.0.0.1:6379",
      redisKeyPrefix: "desk2:",
      metricsToken: "t".repeat(16),
    });
    expect(() => loadConfig({ RELAYDESK_DATA_DIR: dir, REDIS_URL: "127.0.0.1:6379" })).toThrow(/^relaydesk: setting REDIS_URL must start with redis:\/\//);
    expect(() => loadConfig({ RELAYDESK_DATA_DIR: dir, METRICS_TOKEN: "short" })).toThrow(/^relaydesk: setting METRICS_TOKEN must be at least 16/);
  });

  it("files stay in the data folder unless FILE_STORE=s3, which needs a bucket; an S3-compatible endpoint takes path-style addressing", () => {
    const dir = tmp();
    expect(loadConfig({ RELAYDESK_DATA_DIR: dir }).files).toEqual({ kind: "local" });
    expect(loadConfig({ RELAYDESK_DATA_DIR: dir, FILE_STORE: "s3", S3_BUCKET: "desk-files", S3_ENDPOINT: "http://127.0.0.1:9000", S3_ACCESS_KEY_ID: "id", S3_SECRET_ACCESS_KEY: "secret" }).files).toEqual({
      kind: "s3",
      endpoint: "http://127.0.0.1:9000",
      region: "us-east-1",
      bucket: "desk-files",
      credentials: { accessKeyId: "id", secretAccessKey: "secret" },
      forcePathStyle: true,
      prefix: "",
    });
    expect(loadConfig({ RELAYDESK_DATA_DIR: dir, FILE_STORE: "s3", S3_BUCKET: "desk-files", S3_REGION: "ap-east-1" }).files).toMatchObject({ endpoint: null, credentials: null, forcePathStyle: false });
    expect(() => loadConfig({ RELAYDESK_DATA_DIR: dir, FILE_STORE: "s3" })).toThrow("relaydesk: setting S3_BUCKET is required with FILE_STORE=s3");
    expect(() => loadConfig({ RELAYDESK_DATA_DIR: dir, FILE_STORE: "s3", S3_BUCKET: "Bad_Bucket" })).toThrow(/^relaydesk: setting S3_BUCKET must be a bucket name/);
    expect(() => loadConfig({ RELAYDESK_DATA_DIR: dir, FILE_STORE: "s3", S3_BUCKET: "desk-files", S3_ACCESS_KEY_ID: "id" })).toThrow("go together");
    expect(() => loadConfig({ RELAYDESK_DATA_DIR: dir, FILE_STORE: "oss" })).toThrow(/^relaydesk: setting FILE_STORE must be local or s3/);
  });

  it("a wrong value names the setting", () => {
    expect(() => loadConfig({ PORT: "eighty" })).toThrow(/^relaydesk: setting PORT /);
    expect(() => loadConfig({ DATABASE_URL: "mysql://x" })).toThrow(/^relaydesk: setting DATABASE_URL must start with postgresql:\/\//);
    expect(() => loadConfig({ DATABASE_URL: "postgresql://x@h/d", AUTH_SECRET: "short" })).toThrow(/AUTH_SECRET must be at least 32/);
    expect(() => loadConfig({ DATABASE_POOL_SIZE: "1" })).toThrow(/^relaydesk: setting DATABASE_POOL_SIZE must be at least 2/);
  });

  it("DATABASE_POOL_SIZE sizes the PostgreSQL pool of each process", () => {
    const c = loadConfig({ DATABASE_URL: "postgresql://x@h/d", AUTH_SECRET: "s".repeat(40), DATABASE_POOL_SIZE: "24" });
    expect(c.database).toEqual({ kind: "postgres", url: "postgresql://x@h/d", poolSize: 24 });
  });

  it("PostgreSQL with a secret: no demo data unless asked, worker in-process unless turned off", () => {
    const c = loadConfig({ DATABASE_URL: "postgresql://x@h/d", AUTH_SECRET: "s".repeat(40), RELAYDESK_WORKER: "off" });
    expect(c.database).toEqual({ kind: "postgres", url: "postgresql://x@h/d", poolSize: 10 });
    expect(c.demoData).toBe(false);
    expect(c.inProcessWorker).toBe(false);
  });

  it("mail: nothing set means no SMTP, no reply address, no listener; SMTP_HOST needs MAIL_FROM; the port follows the encryption", () => {
    const secret = { DATABASE_URL: "postgresql://x@h/d", AUTH_SECRET: "s".repeat(40) };
    expect(loadConfig(secret).mail).toEqual({ smtp: null, replyDomain: null, inbound: null });
    expect(() => loadConfig({ ...secret, SMTP_HOST: "smtp.example.com" })).toThrow(/^relaydesk: setting MAIL_FROM is required with SMTP_HOST/);
    expect(loadConfig({ ...secret, SMTP_HOST: "smtp.qq.com", SMTP_SECURITY: "tls", MAIL_FROM: "desk@example.com" }).mail.smtp).toMatchObject({ port: 465, security: "tls", user: null });
    expect(loadConfig({ ...secret, SMTP_HOST: "smtp.example.com", MAIL_FROM: "desk@example.com" }).mail.smtp).toMatchObject({ port: 587, security: "starttls" });
    expect(loadConfig({ ...secret, SMTP_HOST: "h", SMTP_PORT: "465", MAIL_FROM: "d@example.com" }).mail.smtp?.security).toBe("tls");
    expect(() => loadConfig({ ...secret, MAIL_FROM: "not-mail" })).toThrow(/^relaydesk: setting MAIL_FROM must be an e-mail address/);
    expect(() => loadConfig({ ...secret, MAIL_REPLY_DOMAIN: "bad domain" })).toThrow(/^relaydesk: setting MAIL_REPLY_DOMAIN /);
    const inbound = loadConfig({ ...secret, MAIL_REPLY_DOMAIN: "Reply.Example.com", MAIL_INBOUND_PORT: "2525" }).mail;
    expect(inbound).toMatchObject({ replyDomain: "reply.example.com", inbound: { host: "0.0.0.0", port: 2525 } });
  });
});
