import { router } from "../trpc.ts";

export const categoriesRouter = router({});
