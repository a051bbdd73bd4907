import { handleAttachmentDownload } from "@/server/http/files";

export async function GET(req: Request, ctx: { params: Promise<{ id: string }> }) {
  return handleAttachmentDownload(req, (await ctx.params).id);
}
