import { handleHealth } from "@/server/http/health";

export const GET = () => handleHealth();
