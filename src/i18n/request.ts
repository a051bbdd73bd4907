import { cookies, headers } from "next/headers";
import { getRequestConfig } from "next-intl/server";
import { MESSAGES, resolveLocale } from "./messages";
import { resolveTimeZone } from "@/lib/datetime";

/** Locale from the `locale` cookie (the language switch), else the browser, else zh-CN. */
export default getRequestConfig(async () => {
  const store = await cookies();
  const chosen = store.get("locale")?.value;
  const accept = chosen ? undefined : (await headers()).get("accept-language")?.split(",")[0];
  const locale = chosen ? resolveLocale(chosen) : accept?.toLowerCase().startsWith("en") ? "en" : "zh-CN";
  return {
    locale,
    messages: MESSAGES[locale],
    timeZone: resolveTimeZone(store.get("tz")?.value),
  };
});
