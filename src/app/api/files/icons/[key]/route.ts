import { handleIconDownload } from "@/server/http/files";
import { observed } from "@/server/http/metrics";

export const GET = observed("files", async (req: Request, ctx: { params: Promise<{ key: string }> }) => handleIconDownload(req, (await ctx.params).key));
