import next from "eslint-config-next";

/**
 * Boundaries written down and enforced (STYLE.md "Layering"): only src/server/db imports Prisma;
 * pages and components never reach into the server's data layer; services never import Next or tRPC.
 */
const config = [
  { ignores: ["src/server/db/generated/**", ".next/**", "node_modules/**", "data/**", ".e2e-data/**", "test-results/**", "playwright-report/**", "next-env.d.ts"] },
  ...next,
  {
    files: ["src/**/*.{ts,tsx}"],
    ignores: ["src/server/db/**", "src/test/**"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            { group: ["**/db/generated/*", "@prisma/*", "pglite-prisma-adapter", "@electric-sql/pglite"], message: "Prisma belongs to src/server/db only." },
          ],
        },
      ],
    },
  },
  {
    files: ["src/app/**/*.{ts,tsx}", "src/components/**/*.{ts,tsx}"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            { group: ["**/db/generated/*", "@prisma/*"], message: "Prisma belongs to src/server/db only." },
            { group: ["@/server/db", "@/server/db/*", "@/server/services/*"], message: "Pages talk to the server through tRPC (or the server caller)." },
          ],
        },
      ],
    },
  },
  {
    files: ["src/server/services/**/*.ts", "src/server/domain/**/*.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            { group: ["next", "next/*", "@trpc/*"], message: "Services and domain code stay free of Next and tRPC." },
            { group: ["**/db/generated/client*", "@prisma/*"], message: "Use the repositories in src/server/db." },
          ],
        },
      ],
    },
  },
  {
    // The layers of STYLE.md, by path (relative imports included): route/page → router → service →
    // domain → repository, with the protocol frame below both protocol roles.
    files: ["src/**/*.{ts,tsx}"],
    ignores: ["src/**/*.test.ts", "src/test/**"],
    rules: {
      "import/no-restricted-paths": [
        "error",
        {
          zones: [
            {
              target: ["./src/app/(portal)", "./src/app/admin", "./src/components"],
              from: ["./src/server/services", "./src/server/db", "./src/server/upstream", "./src/server/partners", "./src/server/protocol", "./src/server/notifications", "./src/server/outbox"],
              message: "Pages and components talk to the server through tRPC (or the server caller), never to services or repositories.",
            },
            {
              target: "./src/server/domain",
              from: ["./src/server/db", "./src/server/services", "./src/server/upstream", "./src/server/partners", "./src/server/protocol", "./src/server/notifications", "./src/server/outbox", "./src/server/storage", "./src/server/http", "./src/server/api"],
              message: "The domain is pure rules and data: it imports nothing with I/O.",
            },
            { target: "./src/server/api", from: "./src/server/db/repos", message: "Routers call services; they never query repositories." },
            {
              target: "./src/server/protocol",
              from: ["./src/server/upstream", "./src/server/partners", "./src/server/services", "./src/server/api"],
              message: "The protocol sits below both roles: upstream/ and partners/ import it, never the other way round.",
            },
            { target: "./src/server/services", from: ["./src/server/api", "./src/app"], message: "Services never reach back up into routers or routes." },
          ],
        },
      ],
    },
  },
  {
    files: ["src/server/domain/**/*.ts"],
    ignores: ["src/server/domain/**/*.test.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            // node:crypto is computation (hashes for pseudonyms), not I/O: allowed.
            {
              group: ["node:fs", "node:fs/*", "node:net", "node:http", "node:https", "node:child_process", "node:dns", "node:tls", "node:dgram", "fs", "net", "http", "https", "child_process"],
              message: "The domain is pure rules and data: no I/O.",
            },
            { group: ["next", "next/*", "@trpc/*"], message: "Services and domain code stay free of Next and tRPC." },
            { group: ["**/db/generated/client*", "@prisma/*"], message: "Use the repositories in src/server/db." },
          ],
        },
      ],
    },
  },
];

export default config;
