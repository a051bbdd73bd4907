import { router } from "../trpc.ts";

export const upstreamsRouter = router({});
