// npm run admin:create — creates a 超级管理员 (super admin) in the configured database
// (DATABASE_URL, else the embedded PGlite in $RELAYDESK_DATA_DIR/pglite; stop the app first
// there). The way into a new production database, which has no staff account. Safe on a public
// server: it needs a shell there, and the password comes from a hidden prompt or from the
// RELAYDESK_ADMIN_PASSWORD environment variable — never from the command line (shell history,
// `ps`), never echoed, never logged.
//
//   npm run admin:create -- [--login admin] [--name 超级管理员]
import path from "node:path";
import { parseArgs } from "node:util";
import { openDatabase } from "../src/server/db/client";
import { createAdministrator, ZAdministratorInput } from "../src/server/services/account-service";
import { isAppError } from "../src/server/errors";
import { translate } from "../src/i18n/messages";

function readHidden(question: string): Promise<string> {
  const stdin = process.stdin;
  if (!stdin.isTTY) throw new Error("no terminal to ask for the password: set RELAYDESK_ADMIN_PASSWORD instead");
  process.stdout.write(question);
  stdin.setRawMode(true);
  stdin.resume();
  stdin.setEncoding("utf8");
  return new Promise((resolve) => {
    let typed = "";
    const onData = (chunk: string) => {
      for (const ch of chunk) {
        if (ch === "\u0003") process.exit(130); // Ctrl-C
        if (ch === "\r" || ch === "\n" || ch === "\u0004") {
          stdin.setRawMode(false);
          stdin.pause();
          stdin.off("data", onData);
          process.stdout.write("\n");
          return resolve(typed);
        }
        typed = ch === "\u007f" || ch === "\b" ? typed.slice(0, -1) : typed + ch;
      }
    };
    stdin.on("data", onData);
  });
}

async function password(): Promise<string> {
  const fromEnv = process.env.RELAYDESK_ADMIN_PASSWORD;
  if (fromEnv) return fromEnv;
  const first = await readHidden("Password (at least 8 characters): ");
  if ((await readHidden("Repeat the password: ")) !== first) throw new Error("the two passwords differ");
  return first;
}

async function main() {
  const { values } = parseArgs({ options: { login: { type: "string", default: "admin" }, name: { type: "string", default: "超级管理员" } } });
  // Checked before the database is opened: a bad login or password costs nothing.
  const input = ZAdministratorInput.parse({ loginName: values.login, displayName: values.name, password: await password() });
  const url = process.env.DATABASE_URL;
  const database = await openDatabase(
    url ? { kind: "postgres", url } : { kind: "pglite", dataDir: path.resolve(process.env.RELAYDESK_DATA_DIR ?? "./data", "pglite") },
  );
  try {
    const staff = await createAdministrator(database.prisma, input);
    console.log(`admin:create: super admin "${staff.loginName}" (${staff.displayName}, staff ID ${staff.id}) created — sign in at /admin/login`);
  } finally {
    await database.close();
  }
}

main().catch((error: unknown) => {
  const message = isAppError(error)
    ? translate("en", error.messageKey, error.params)
    : error instanceof Error && error.name === "ZodError"
      ? "the login must be 2–64 letters, digits, _ . -; the password at least 8 characters"
      : error instanceof Error
        ? error.message
        : String(error);
  console.error(`admin:create: ${message}`);
  process.exitCode = 1;
});
