import "server-only";
import type { AuthOptions } from "next-auth";
import CredentialsProvider from "next-auth/providers/credentials";
import { getServerSession } from "next-auth";
import { getConfig } from "../config.ts";
import { getDb } from "../db/index.ts";
import { loginMember, loginStaff, type LoginResult, type SessionClaims } from "../services/auth-service.ts";

type Creds = Record<string, string> | undefined;

function clientAddress(req: { headers?: Record<string, unknown> }): string {
  const fwd = req.headers?.["x-forwarded-for"];
  return typeof fwd === "string" ? fwd.split(",")[0]!.trim() : "local";
}

/** next-auth reports a thrown Error's message to the login form: we send stable codes. */
function toUser(result: LoginResult) {
  if (!result.ok) throw new Error(result.error);
  return { id: `${result.claims.kind}:${result.claims.id}`, name: result.name, claims: result.claims };
}

let cached: AuthOptions | undefined;

export function getAuthOptions(): AuthOptions {
  cached ??= {
    secret: getConfig().authSecret,
    session: { strategy: "jwt", maxAge: 12 * 60 * 60 },
    pages: { signIn: "/login" },
    providers: [
      CredentialsProvider({
        id: "member",
        name: "member",
        credentials: { login: { type: "text" }, password: { type: "password" } },
        async authorize(creds: Creds, req) {
          const db = await getDb();
          return toUser(await loginMember(db, creds?.login ?? "", creds?.password ?? "", clientAddress(req)));
        },
      }),
      CredentialsProvider({
        id: "staff",
        name: "staff",
        credentials: { login: { type: "text" }, password: { type: "password" } },
        async authorize(creds: Creds, req) {
          const db = await getDb();
          return toUser(await loginStaff(db, creds?.login ?? "", creds?.password ?? "", clientAddress(req)));
        },
      }),
    ],
    callbacks: {
      jwt({ token, user }) {
        if (user && "claims" in user) token.claims = (user as { claims: SessionClaims }).claims;
        return token;
      },
      session({ session, token }) {
        return { ...session, claims: token.claims as SessionClaims | undefined };
      },
    },
  };
  return cached;
}

/** The signed-in claims of this request, or null. */
export async function getSessionClaims(): Promise<SessionClaims | null> {
  const session = (await getServerSession(getAuthOptions())) as { claims?: SessionClaims } | null;
  return session?.claims ?? null;
}
