import { defineConfig } from "@playwright/test";

const port = Number(process.env.E2E_PORT ?? 3210);
const baseURL = `http://localhost:${port}`;

/**
 * End-to-end tests drive Debian's Chromium (no browser download needed) against the real
 * product started with `npm start` on a fresh embedded database with demo data.
 */
export default defineConfig({
  testDir: "e2e",
  fullyParallel: false,
  workers: 1,
  retries: 0,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  reporter: [["list"]],
  use: {
    baseURL,
    locale: "zh-CN",
    timezoneId: "Asia/Shanghai",
    trace: "retain-on-failure",
    screenshot: "only-on-failure",
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
      args: [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
      ],
    },
  },
  projects: [
    { name: "setup", testMatch: /auth\.setup\.ts/ },
    { name: "chromium", testMatch: /.*\.spec\.ts/, dependencies: ["setup"] },
  ],
  webServer: {
    command: `rm -rf .e2e-data-${port} && node scripts/start.mjs`,
    url: `${baseURL}/login`,
    // The first start builds the app: minutes on a busy 2-core machine.
    timeout: 900_000,
    reuseExistingServer: false,
    stdout: "pipe",
    env: {
      PORT: String(port),
      PUBLIC_URL: baseURL,
      RELAYDESK_DATA_DIR: `.e2e-data-${port}`,
      RELAYDESK_DEMO_DATA: "yes",
      DATABASE_URL: "",
      LOG_LEVEL: "warn",
      // A delivery attempt that fails on a loaded machine is retried within a test's patience (as in e2e/instance.ts).
      RELAYDESK_RETRY_BASE_MS: "1000",
      // Reply by e-mail: the server's own SMTP listener (e2e/notifications.spec.ts sends to it).
      MAIL_INBOUND_PORT: String(port + 2000),
      MAIL_INBOUND_HOST: "127.0.0.1",
      MAIL_REPLY_DOMAIN: "reply.relaydesk.test",
    },
  },
});
