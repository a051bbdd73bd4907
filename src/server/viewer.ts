/**
 * Who is calling. Resolved once per request from the session (and re-checked against the
 * database, so a disabled account's session stops working at once).
 */
export type Viewer =
  | { kind: "anonymous" }
  | { kind: "member"; memberId: number; name: string }
  | { kind: "staff"; staffId: number; name: string; role: "SUPER_ADMIN" | "STAFF" };

export type StaffViewer = Extract<Viewer, { kind: "staff" }>;
export type MemberViewer = Extract<Viewer, { kind: "member" }>;
