import type { inferRouterInputs, inferRouterOutputs } from "@trpc/server";
import type { AppRouter } from "@/server/api/root";

/** Shapes the console pages receive, inferred from the procedures (pages never import services). */
export type RouterOutputs = inferRouterOutputs<AppRouter>;
export type RouterInputs = inferRouterInputs<AppRouter>;
export type TicketDetail = RouterOutputs["console"]["ticket"];
export type QueuePage = RouterOutputs["console"]["queue"];
export type QueueItem = QueuePage["items"][number];
export type QueueCounts = RouterOutputs["console"]["counts"];
export type QueueOptions = RouterOutputs["console"]["options"];
export type QueueFilter = RouterInputs["console"]["counts"];
export type TicketStatus = keyof QueueCounts["counts"];
export const STATUSES: TicketStatus[] = ["PENDING", "PROCESSING", "MEMBER_REPLIED", "REPLIED", "COMPLETED"];
