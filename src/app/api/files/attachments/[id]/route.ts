import { handleAttachmentDownload } from "@/server/http/files";
import { observed } from "@/server/http/metrics";

export const GET = observed("files", async (req: Request, ctx: { params: Promise<{ id: string }> }) => handleAttachmentDownload(req, (await ctx.params).id));
