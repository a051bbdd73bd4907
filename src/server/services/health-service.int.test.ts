import { describe, expect, it } from "vitest";
import { createTestDatabase } from "@/test/db";
import { checkReadiness } from "./health-service";

describe(`readiness (${process.env.TEST_DATABASE_URL ? "postgres" : "pglite"})`, () => {
  it("is ready while the database answers, and not once it is gone", async () => {
    const t = await createTestDatabase();
    expect(await checkReadiness(t.prisma)).toMatchObject({ ready: true, database: { ok: true } });
    await t.close();
    expect(await checkReadiness(t.prisma, 500)).toEqual({ ready: false, database: { ok: false } });
  });
});
