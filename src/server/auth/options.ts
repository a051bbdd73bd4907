import "server-only";
import type { AuthOptions } from "next-auth";
import CredentialsProvider from "next-auth/providers/credentials";
import { getToken } from "next-auth/jwt";
import { cookies } from "next/headers";
import { getConfig } from "../config.ts";
import { getDb } from "../db/index.ts";
import { clientAddressOf } from "../http/client-address.ts";
import { rateLimitsFor } from "../rate-limits.ts";
import { loginMember, loginStaff, type LoginResult, type SessionClaims } from "../services/auth-service.ts";

type Creds = Record<string, string> | undefined;

/** The typed login and password, and the client's address as our server resolved it (never a client's X-Forwarded-For). */
function credentials(creds: Creds, req: { headers?: Record<string, unknown> }) {
  const text = (v: unknown) => (typeof v === "string" ? v : "");
  return { login: text(creds?.login), password: text(creds?.password), address: clientAddressOf(req.headers) };
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
          return toUser(await loginMember(db, rateLimitsFor(db), credentials(creds, req)));
        },
      }),
      CredentialsProvider({
        id: "staff",
        name: "staff",
        credentials: { login: { type: "text" }, password: { type: "password" } },
        async authorize(creds: Creds, req) {
          const db = await getDb();
          return toUser(await loginStaff(db, rateLimitsFor(db), credentials(creds, req)));
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

/**
 * The signed-in claims of this request, or null: the session cookie decrypted and its expiry
 * checked — what `getServerSession` returns as `claims`, without running next-auth's whole session
 * route (which also re-encrypts a refreshed cookie that a server component cannot send).
 * Only the cookie counts: no headers are handed over, so an `Authorization: Bearer` token is ignored.
 */
export async function getSessionClaims(): Promise<SessionClaims | null> {
  const token = await getToken({ req: { cookies: await cookies(), headers: {} } as never, secret: getAuthOptions().secret });
  return (token?.claims as SessionClaims | undefined) ?? null;
}
