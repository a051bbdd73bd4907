import "server-only";
import { redirect } from "next/navigation";
import { getViewer } from "./request-viewer.ts";
import type { MemberViewer, StaffViewer } from "./viewer.ts";

/** Portal pages: members only; anyone else goes to the member login. */
export async function requireMemberPage(): Promise<MemberViewer> {
  const viewer = await getViewer();
  if (viewer.kind === "member") return viewer;
  redirect(viewer.kind === "staff" ? "/admin" : "/login");
}

/** Console pages: staff only. A signed-in member is sent to the staff login with a 403 notice. */
export async function requireStaffPage(opts: { superAdmin?: boolean } = {}): Promise<StaffViewer> {
  const viewer = await getViewer();
  if (viewer.kind === "member") redirect("/admin/login?forbidden=1");
  if (viewer.kind !== "staff") redirect("/admin/login");
  if (opts.superAdmin && viewer.role !== "SUPER_ADMIN") redirect("/admin?forbidden=1");
  return viewer;
}
