import { handleTrpcRequest } from "@/server/api/http";
import { observed } from "@/server/http/metrics";

const handler = observed("trpc", (req: Request) => handleTrpcRequest(req));

export { handler as GET, handler as POST };
