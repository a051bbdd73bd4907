import { getConfig } from "./config.ts";
import { checkFileStore } from "./storage/from-config.ts";
import { getDatabase } from "./db/index.ts";
import { DEMO_ACCOUNTS, seedDemoData } from "./db/seed-demo.ts";
import { countStaff } from "./db/repos/staff.ts";
import { logger } from "./logger.ts";
import { startBackgroundWork, stopBackgroundWork } from "./background.ts";
import { closeRedis } from "./redis.ts";

/**
 * Start-up of the web process: check the file store, open (and migrate) the database, load demo data into an empty
 * one, start in-process background work. Idempotent: instrumentation may call it twice.
 */
const state = globalThis as unknown as { __relaydeskBoot?: Promise<void>; __relaydeskShutdown?: () => Promise<void> };

export function bootstrap(): Promise<void> {
  state.__relaydeskBoot ??= (async () => {
    const config = getConfig();
    await checkFileStore(config);
    const database = await getDatabase();
    logger.info({ database: database.kind, dataDir: config.dataDir }, "database ready");
    if (config.demoData && (await seedDemoData(database.prisma))) {
      const a = DEMO_ACCOUNTS;
      // Demo passwords are public by design (README); printed so a first start is usable at once.
      console.log(
        [
          "",
          "Relaydesk demo data loaded. Sign in at " + config.publicUrl,
          `  admin console  ${config.publicUrl}/admin   ${a.superAdmin.login} / ${a.superAdmin.password}  (超级管理员, ID 1)`,
          `                                      ${a.staff.login} / ${a.staff.password}  (客服)`,
          `  member portal  ${config.publicUrl}/login   ${a.member.login} / ${a.member.password}  (会员 1100001)`,
          "",
        ].join("\n"),
      );
    }
    if ((await countStaff(database.prisma)) === 0) {
      // A fresh production database has no account to sign in with; the way in is a shell command.
      logger.warn("no staff account exists yet: create the first administrator with `npm run admin:create`");
    }
    if (config.inProcessWorker) startBackgroundWork(database.prisma, config);
    // The web server (scripts/serve.mjs) calls this once its requests have finished.
    state.__relaydeskShutdown = async () => {
      await stopBackgroundWork();
      await closeRedis();
      await database.close();
      logger.info("database closed");
    };
  })();
  return state.__relaydeskBoot;
}

/** Next would keep serving 500s after a failed start: stop with one clear line instead. */
export async function bootstrapOrExit(): Promise<void> {
  try {
    await bootstrap();
  } catch (e) {
    const message = (e instanceof Error ? e.message : String(e)).trim().split("\n").filter(Boolean).at(-1) ?? "unknown error";
    console.error(message.startsWith("relaydesk:") ? message : `relaydesk: start-up failed: ${message}`);
    if (process.env.DEBUG) console.error(e);
    process.exit(1);
  }
}
