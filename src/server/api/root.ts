import { createCallerFactory, router } from "./trpc.ts";
import { accountRouter, staffAdminRouter } from "./routers/account.ts";
import { categoriesRouter } from "./routers/categories.ts";
import { portalRouter } from "./routers/portal.ts";
import { consoleRouter } from "./routers/console.ts";
import { cannedRepliesRouter } from "./routers/canned-replies.ts";
import { escalationRouter } from "./routers/escalation.ts";
import { upstreamsRouter } from "./routers/upstreams.ts";
import { sharingRouter } from "./routers/sharing.ts";
import { deliveriesRouter } from "./routers/deliveries.ts";
import { partnersRouter } from "./routers/partners.ts";
import { partnerTicketsRouter } from "./routers/partner-tickets.ts";
import { notificationChannelsRouter, notificationsRouter } from "./routers/notifications.ts";
import { slaRouter } from "./routers/sla.ts";
import { automationRouter } from "./routers/automation.ts";
import { reportsRouter } from "./routers/reports.ts";
import { liveRouter, presenceRouter } from "./routers/live.ts";

/** One router per domain noun; each stays thin (input schema → one service call). */
export const appRouter = router({
  account: accountRouter,
  staff: staffAdminRouter,
  categories: categoriesRouter, // 工单分类 (console) + the member's picker
  portal: portalRouter, // the member's tickets
  console: consoleRouter, // the staff queue and ticket page
  cannedReplies: cannedRepliesRouter, // 预设回复
  escalation: escalationRouter, // 转移到云技术客服, 同步工单
  upstreams: upstreamsRouter, // 上级资源 connections
  sharing: sharingRouter, // 共享策略: what each upstream may learn (white-label escalation)
  deliveries: deliveriesRouter, // outbox / sync status, dead letters
  partners: partnersRouter, // 下级合作商 (we are their upstream)
  partnerTickets: partnerTicketsRouter, // staff actions on a partner's ticket
  notifications: notificationsRouter, // the bell and one's own notification settings
  notificationChannels: notificationChannelsRouter, // 通知渠道: SMTP, reply mails, chat robots
  sla: slaRouter, // 工作日历, SLA 策略
  automation: automationRouter, // 自动化规则
  reports: reportsRouter, // 报表
  live: liveRouter, // the live stream (SSE): what changed, for the viewer's screens to re-read
  presence: presenceRouter, // who else is on a ticket page
});

export type AppRouter = typeof appRouter;
export const createCaller = createCallerFactory(appRouter);
