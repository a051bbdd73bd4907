import { AppError } from "../../errors.ts";

/** Placeholder body for procedures whose feature lands in a parallel change (replaced there). */
export function notWiredYet(): never {
  throw new AppError("INTERNAL", "errors.internal", { detail: "procedure not wired yet" });
}
