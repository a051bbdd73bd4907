/**
 * R6: the system messages written into the conversation. Stored as a code + params; the texts
 * (the manual's zh-CN wording, and English) live in src/messages/<locale>/tickets.json
 * under `system.<code>`. `visibility` says who may read each.
 */
export const SYSTEM_MESSAGES = {
  closedByStaff: "PUBLIC", // 您的工单于{time}被客服关闭
  closedByMember: "PUBLIC",
  escalated: "STAFF_ONLY", // 该工单于{time}被客服[{staff}]转移到远程技术客服
  upstreamClosed: "STAFF_ONLY", // 远程技术客服已关闭该工单，将不再接受该工单的转移请求。
  upstreamReturned: "STAFF_ONLY",
  moved: "STAFF_ONLY",
  assigned: "STAFF_ONLY",
  synced: "STAFF_ONLY",
  returnedToPartner: "STAFF_ONLY",
  closedUpstreamSide: "STAFF_ONLY",
  partnerReEscalated: "STAFF_ONLY",
  partnerFinished: "STAFF_ONLY",
  automationMoved: "STAFF_ONLY",
  automationAssigned: "STAFF_ONLY",
  autoClosed: "PUBLIC", // 您的工单于{time}因{days}天内未收到您的回复被系统自动关闭
} as const satisfies Record<string, "PUBLIC" | "STAFF_ONLY">;

export type SystemMessageCode = keyof typeof SYSTEM_MESSAGES;
