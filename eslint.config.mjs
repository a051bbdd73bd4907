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
];

export default config;
