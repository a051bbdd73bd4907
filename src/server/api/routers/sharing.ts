import { z } from "zod";
import { ZId, zIdList } from "../../schemas.ts";
import { router, staffProcedure, superAdminProcedure } from "../trpc.ts";
import { getConfig } from "../../config.ts";
import { upstreamDepsFromConfig } from "../../upstream/deps.ts";
import {
  ZSaveSharingPolicyInput,
  getDeliveryBody,
  listDeliveries,
  ZTrySharingPolicyInput,
  getSharingPolicy,
  previewEscalation,
  trySharingPolicy,
  updateSharingPolicy,
} from "../../services/sharing-service.ts";

/** 共享策略 (white-label escalation): the super admin's policy per upstream, and the escalate dialog's preview. */
export const sharingRouter = router({
  policy: superAdminProcedure.input(z.object({ connectionId: ZId })).query(({ ctx, input }) => getSharingPolicy(ctx.db, input.connectionId)),
  save: superAdminProcedure.input(ZSaveSharingPolicyInput).mutation(({ ctx, input }) => updateSharingPolicy(ctx.db, input)),
  /** 测试规则: a sample text as the vendor (and, for replies, the member) would see it. */
  try: superAdminProcedure.input(ZTrySharingPolicyInput).mutation(({ input }) => trySharingPolicy(input)),
  /** What 转移到云技术客服 would send now, masked, with the files ticked. */
  preview: staffProcedure
    .input(z.object({ ticketId: ZId, fileIds: zIdList(100).optional() }))
    .query(({ ctx, input }) => previewEscalation(ctx.db, getConfig().authSecret, input.ticketId, input.fileIds)),
  /** 发送记录: every request delivered upstream, with its exact body on demand. */
  deliveries: superAdminProcedure
    .input(z.object({ ticketId: ZId.optional(), cursor: ZId.nullish() }))
    .query(({ ctx, input }) => listDeliveries(ctx.db, { ticketId: input.ticketId, beforeId: input.cursor ?? undefined })),
  deliveryBody: superAdminProcedure.input(z.object({ id: ZId })).query(({ ctx, input }) => getDeliveryBody(ctx.db, upstreamDepsFromConfig(getConfig()).files, input.id)),
});
