import { router } from "../trpc.ts";

export const partnersRouter = router({});
