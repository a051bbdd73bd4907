import { router } from "../trpc.ts";

export const cannedRepliesRouter = router({});
