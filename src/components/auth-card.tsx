import type { ReactNode } from "react";
import { LanguageSwitch } from "./language-switch";

export function AuthCard({ title, children, footer }: { title: string; children: ReactNode; footer?: ReactNode }) {
  return (
    <main className="flex min-h-screen items-center justify-center bg-gradient-to-br from-brand-50 to-slate-100 p-4">
      <div className="w-full max-w-sm rounded-xl border border-slate-200 bg-white p-6 shadow-lg">
        <div className="mb-6 flex items-center justify-between">
          <h1>{title}</h1>
          <LanguageSwitch />
        </div>
        {children}
        {footer && <div className="mt-6 border-t border-slate-100 pt-4 text-sm text-slate-500">{footer}</div>}
      </div>
    </main>
  );
}
