import { createCallerFactory, router } from "./trpc.ts";
import { accountRouter, staffAdminRouter } from "./routers/account.ts";

/** One router per domain noun; each stays thin (input schema → one service call). */
export const appRouter = router({
  account: accountRouter,
  staff: staffAdminRouter,
});

export type AppRouter = typeof appRouter;
export const createCaller = createCallerFactory(appRouter);
