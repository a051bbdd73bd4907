import { formatDateTime } from "@/lib/datetime";

/** Client-side dates in the browser's own zone, the manual's format. */
export function formatLocal(value: Date | string | null | undefined): string {
  return formatDateTime(value, Intl.DateTimeFormat().resolvedOptions().timeZone);
}
