import "server-only";
import { getConfig } from "../config.ts";
import { openDatabase, type Database, type Db } from "./client.ts";

/**
 * The process-wide database. Next may evaluate modules more than once (and instrumentation may
 * register twice), so the handle lives on globalThis and is opened once.
 */
const holder = globalThis as unknown as { __relaydeskDb?: Promise<Database> };

export function getDatabase(): Promise<Database> {
  holder.__relaydeskDb ??= openDatabase(getConfig().database);
  return holder.__relaydeskDb;
}

export async function getDb(): Promise<Db> {
  return (await getDatabase()).prisma;
}
