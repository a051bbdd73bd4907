import path from "node:path";
import { defineConfig } from "vitest/config";

export default defineConfig({
  resolve: {
    alias: {
      "@": path.resolve(import.meta.dirname, "src"),
      // Next's guard against client imports; meaningless outside Next.
      "server-only": path.resolve(import.meta.dirname, "src/test/empty-module.ts"),
    },
  },
  test: {
    include: ["src/**/*.test.ts", "scripts/**/*.test.ts"],
    environment: "node",
    // Each integration file owns an embedded database (~0.5 GB); two at a time fits any machine.
    maxWorkers: 2,
    testTimeout: 30_000,
    hookTimeout: 60_000,
    env: { NODE_ENV: "test" },
    setupFiles: ["src/test/setup.ts"],
    // Migrates once per run (and reuses it while the migrations are unchanged); files copy it.
    globalSetup: ["src/test/global-setup.ts"],
  },
});
