import type { Metadata } from "next";
import type { ReactNode } from "react";
import { NextIntlClientProvider } from "next-intl";
import { getLocale } from "next-intl/server";
import { TRPCReactProvider } from "@/trpc/react";
import { clientMessages, resolveLocale } from "@/i18n/messages";
import { TimeZoneCookie } from "@/components/time-zone-cookie";
import "./globals.css";

export const metadata: Metadata = {
  title: "Relaydesk 工单系统",
  description: "面向云主机合作商的工单系统",
};

export default async function RootLayout({ children }: { children: ReactNode }) {
  const locale = resolveLocale(await getLocale());
  return (
    <html lang={locale}>
      <body>
        <NextIntlClientProvider messages={clientMessages(locale, "shared")}>
          <TRPCReactProvider>
            <TimeZoneCookie />
            {children}
          </TRPCReactProvider>
        </NextIntlClientProvider>
      </body>
    </html>
  );
}
