import { handleUpload } from "@/server/http/uploads";

/** POST /api/uploads?purpose=icon|attachment — parsing and rules live in src/server/http + services. */
export function POST(req: Request) {
  return handleUpload(req);
}
