import { z } from "zod";
import { ZId } from "../../schemas.ts";
import { router, superAdminProcedure } from "../trpc.ts";
import { getConfig } from "../../config.ts";
import {
  ZCreateConnectionInput,
  ZUpdateConnectionInput,
  createUpstreamConnection,
  listUpstreamConnections,
  testUpstreamConnection,
  updateUpstreamConnection,
} from "../../upstream/connections.ts";
import { upstreamDepsFromConfig } from "../../upstream/deps.ts";

const deps = () => upstreamDepsFromConfig(getConfig());

/** 上级资源: the super admin's upstream connections. The secret is write-only. */
export const upstreamsRouter = router({
  list: superAdminProcedure.query(({ ctx }) => listUpstreamConnections(ctx.db, deps())),
  create: superAdminProcedure.input(ZCreateConnectionInput).mutation(({ ctx, input }) => createUpstreamConnection(ctx.db, deps(), input)),
  update: superAdminProcedure.input(ZUpdateConnectionInput).mutation(({ ctx, input }) => updateUpstreamConnection(ctx.db, deps(), input)),
  /** 测试连接: a signed GET of the changed-tickets list with limit 1. */
  test: superAdminProcedure.input(z.object({ id: ZId })).mutation(({ ctx, input }) => testUpstreamConnection(ctx.db, deps(), input.id)),
});
