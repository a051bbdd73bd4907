import { router } from "../trpc.ts";

export const consoleRouter = router({});
