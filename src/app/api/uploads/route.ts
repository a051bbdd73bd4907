import { handleUpload } from "@/server/http/uploads";
import { observed } from "@/server/http/metrics";

/** POST /api/uploads?purpose=icon|attachment — parsing and rules live in src/server/http + services. */
export const POST = observed("uploads", (req: Request) => handleUpload(req));
