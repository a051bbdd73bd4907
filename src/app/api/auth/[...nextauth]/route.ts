import NextAuth from "next-auth";
import { getAuthOptions } from "@/server/auth/options";
import { observed } from "@/server/http/metrics";

const handler = observed("auth", (req: Request, ctx: { params: Promise<{ nextauth: string[] }> }) => NextAuth(getAuthOptions())(req, ctx) as Promise<Response>);

export { handler as GET, handler as POST };
