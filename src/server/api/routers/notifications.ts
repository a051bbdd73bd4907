import { z } from "zod";
import { router, signedInProcedure, superAdminProcedure } from "../trpc.ts";
import { ZId } from "../../schemas.ts";
import { getConfig } from "../../config.ts";
import { getBell, markAllRead, markRead, ZBellInput, ZMarkReadInput } from "../../notifications/bell.ts";
import { getMyPreferences, saveMyPreferences, ZSavePreferencesInput } from "../../notifications/preferences.ts";
import {
  createChatChannel,
  getChannelsOverview,
  removeChatChannel,
  saveSmtpSettings,
  sendTestMail,
  testChatChannel,
  updateChatChannelSettings,
  ZCreateChannelInput,
  ZSmtpInput,
  ZTestMailInput,
  ZUpdateChannelInput,
} from "../../notifications/channels-admin.ts";
import { notificationDepsFromConfig } from "../../notifications/deps.ts";

const deps = () => {
  const config = getConfig();
  return { ...notificationDepsFromConfig(config), inbound: config.mail.inbound };
};
const ZIdInput = z.object({ id: ZId });

/** The signed-in person's own notifications (console and portal alike). */
export const notificationsRouter = router({
  /** The bell: unread count and the newest page, in one query (polled until live updates exist). */
  bell: signedInProcedure.input(ZBellInput).query(({ ctx, input }) => getBell(ctx.db, ctx.viewer, input, ctx.locale)),
  markRead: signedInProcedure.input(ZMarkReadInput).mutation(({ ctx, input }) => markRead(ctx.db, ctx.viewer, input)),
  markAllRead: signedInProcedure.mutation(({ ctx }) => markAllRead(ctx.db, ctx.viewer)),
  preferences: signedInProcedure.query(({ ctx }) => getMyPreferences(ctx.db, ctx.viewer)),
  savePreferences: signedInProcedure.input(ZSavePreferencesInput).mutation(({ ctx, input }) => saveMyPreferences(ctx.db, ctx.viewer, input)),
});

/** 通知渠道 (super admin): outgoing mail, the reply-mail log, team chat robots. */
export const notificationChannelsRouter = router({
  overview: superAdminProcedure.query(({ ctx }) => getChannelsOverview(ctx.db, deps())),
  saveSmtp: superAdminProcedure.input(ZSmtpInput).mutation(({ ctx, input }) => saveSmtpSettings(ctx.db, deps(), input)),
  testMail: superAdminProcedure.input(ZTestMailInput).mutation(({ ctx, input }) => sendTestMail(ctx.db, deps(), input, ctx.locale)),
  createChat: superAdminProcedure.input(ZCreateChannelInput).mutation(({ ctx, input }) => createChatChannel(ctx.db, deps(), input)),
  updateChat: superAdminProcedure.input(ZUpdateChannelInput).mutation(({ ctx, input }) => updateChatChannelSettings(ctx.db, deps(), input)),
  deleteChat: superAdminProcedure.input(ZIdInput).mutation(({ ctx, input }) => removeChatChannel(ctx.db, input.id)),
  testChat: superAdminProcedure.input(ZIdInput).mutation(({ ctx, input }) => testChatChannel(ctx.db, deps(), input.id)),
});
