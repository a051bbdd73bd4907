import { router, superAdminProcedure } from "../trpc.ts";
import {
  createPartnerAccount,
  listDeliveriesForPartner,
  listPartnerAccounts,
  rotatePartnerSecret,
  updatePartnerAccount,
  ZCreatePartnerInput,
  ZDeliveriesInput,
  ZRotateSecretInput,
  ZUpdatePartnerInput,
} from "../../partners/partner-admin.ts";

/** 下级合作商 (we are their upstream): super admin only. Secrets come back once, from create and rotate. */
export const partnersRouter = router({
  list: superAdminProcedure.query(({ ctx }) => listPartnerAccounts(ctx.db)),
  create: superAdminProcedure.input(ZCreatePartnerInput).mutation(({ ctx, input }) => createPartnerAccount(ctx.db, input)),
  update: superAdminProcedure.input(ZUpdatePartnerInput).mutation(({ ctx, input }) => updatePartnerAccount(ctx.db, input)),
  rotateSecret: superAdminProcedure.input(ZRotateSecretInput).mutation(({ ctx, input }) => rotatePartnerSecret(ctx.db, input)),
  deliveries: superAdminProcedure.input(ZDeliveriesInput).query(({ ctx, input }) => listDeliveriesForPartner(ctx.db, input)),
});
