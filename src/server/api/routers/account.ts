import { z } from "zod";
import { ZId } from "../../schemas.ts";
import { memberProcedure, publicProcedure, router, staffProcedure, superAdminProcedure } from "../trpc.ts";
import { registerMember, ZRegisterMemberInput } from "../../services/auth-service.ts";
import {
  changeMemberPassword,
  endAllSessions,
  createStaffAccount,
  getMemberProfile,
  listStaffAccounts,
  resetStaffPassword,
  setStaffDisabled,
  updateMemberProfile,
  ZChangePasswordInput,
  ZCreateStaffInput,
  ZUpdateProfileInput,
} from "../../services/account-service.ts";
import { ZPassword } from "../../services/auth-service.ts";

export const accountRouter = router({
  /** Who am I — for the shells' headers. */
  me: publicProcedure.query(({ ctx }) => ctx.viewer),
  register: publicProcedure.input(ZRegisterMemberInput).mutation(({ ctx, input }) => registerMember(ctx.db, ctx.limits, ctx.clientAddress, input)),
  /** 退出登录: every session of this account ends (the browser then drops its cookie). */
  signOutEverywhere: publicProcedure.mutation(({ ctx }) => endAllSessions(ctx.db, ctx.viewer)),
  profile: memberProcedure.query(({ ctx }) => getMemberProfile(ctx.db, ctx.viewer)),
  updateProfile: memberProcedure
    .input(ZUpdateProfileInput)
    .mutation(({ ctx, input }) => updateMemberProfile(ctx.db, ctx.viewer, input)),
  changePassword: memberProcedure
    .input(ZChangePasswordInput)
    .mutation(({ ctx, input }) => changeMemberPassword(ctx.db, ctx.limits, ctx.viewer, input)),
});

export const staffAdminRouter = router({
  list: staffProcedure.query(({ ctx }) => listStaffAccounts(ctx.db)),
  create: superAdminProcedure.input(ZCreateStaffInput).mutation(({ ctx, input }) => createStaffAccount(ctx.db, input)),
  setDisabled: superAdminProcedure
    .input(z.object({ staffId: ZId, disabled: z.boolean() }))
    .mutation(({ ctx, input }) => setStaffDisabled(ctx.db, ctx.viewer, input.staffId, input.disabled)),
  resetPassword: superAdminProcedure
    .input(z.object({ staffId: ZId, password: ZPassword }))
    .mutation(({ ctx, input }) => resetStaffPassword(ctx.db, input.staffId, input.password)),
});
