import { handleIconDownload } from "@/server/http/files";

export async function GET(req: Request, ctx: { params: Promise<{ key: string }> }) {
  return handleIconDownload(req, (await ctx.params).key);
}
