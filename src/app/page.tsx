import { redirect } from "next/navigation";
import { getViewer } from "@/server/request-viewer";

export default async function Home() {
  const viewer = await getViewer();
  redirect(viewer.kind === "staff" ? "/admin" : viewer.kind === "member" ? "/tickets" : "/login");
}
