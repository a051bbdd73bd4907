"use client";

import { useEffect } from "react";
import { useRouter } from "next/navigation";

/** Tells the server the browser's time zone once, so dates render in the viewer's zone. */
export function TimeZoneCookie() {
  const router = useRouter();
  useEffect(() => {
    const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
    const current = document.cookie.match(/(?:^|; )tz=([^;]*)/)?.[1];
    if (zone && decodeURIComponent(current ?? "") !== zone) {
      document.cookie = `tz=${encodeURIComponent(zone)}; path=/; max-age=31536000; samesite=lax`;
      router.refresh();
    }
  }, [router]);
  return null;
}
