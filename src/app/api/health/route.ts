import { handleHealth } from "@/server/http/health";
import { observed } from "@/server/http/metrics";

export const GET = observed("health", () => handleHealth());
