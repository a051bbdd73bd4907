import { handleMetrics, observed } from "@/server/http/metrics";

export const dynamic = "force-dynamic";
export const GET = observed("metrics", handleMetrics);
