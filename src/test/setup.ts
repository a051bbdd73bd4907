// Every vitest worker: pg's "already executing a query" deprecation means two statements ran at
// once on one connection (inside a transaction, that is a bug): fail the test that caused it.
const emitWarning = process.emitWarning.bind(process) as (...args: unknown[]) => void;
process.emitWarning = ((warning: string | Error, ...rest: unknown[]) => {
  const message = typeof warning === "string" ? warning : warning.message;
  if (message.includes("already executing a query")) {
    throw new Error(`overlapping queries on one pg connection: ${message}`);
  }
  emitWarning(warning, ...rest);
}) as typeof process.emitWarning;
