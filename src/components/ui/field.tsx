import type { InputHTMLAttributes, ReactNode, SelectHTMLAttributes, TextareaHTMLAttributes } from "react";

const control =
  "rounded-md border border-slate-300 bg-white px-3 py-1.5 text-sm shadow-sm focus:border-brand-500 focus:outline-none focus:ring-2 focus:ring-brand-100 disabled:bg-slate-100";

/** A labelled form row: `*` for required, a `?` help tooltip as in the manual, an error line. */
export function Field({
  label,
  required,
  help,
  error,
  children,
}: {
  label: ReactNode;
  required?: boolean;
  help?: string;
  error?: string | null;
  children: ReactNode;
}) {
  return (
    <label className="block space-y-1">
      <span className="flex items-center gap-1 text-sm font-medium text-slate-700">
        {required && <span className="text-rose-600">*</span>}
        {label}
        {help && (
          <span title={help} aria-label={help} className="inline-flex h-4 w-4 cursor-help items-center justify-center rounded-full bg-slate-200 text-[10px] text-slate-600">
            ?
          </span>
        )}
      </span>
      {children}
      {error && <span className="block text-xs text-rose-600">{error}</span>}
    </label>
  );
}

/**
 * Full width unless the caller gives a width: both classes together would leave the choice to the
 * order of Tailwind's output (where w-full won, and the queue's filters stacked six deep).
 */
const classes = (extra = "") => `${control} ${/(^|\s)(w-|flex-)/.test(extra) ? "" : "w-full "}${extra}`;
export const Input = (props: InputHTMLAttributes<HTMLInputElement>) => <input {...props} className={classes(props.className)} />;
export const Textarea = (props: TextareaHTMLAttributes<HTMLTextAreaElement>) => <textarea {...props} className={classes(props.className)} />;
export const Select = (props: SelectHTMLAttributes<HTMLSelectElement>) => <select {...props} className={classes(props.className)} />;

export function FormError({ message }: { message?: string | null }) {
  if (!message) return null;
  return (
    <div data-testid="form-error" className="rounded-md border border-rose-200 bg-rose-50 px-3 py-2 text-sm text-rose-700">
      {message}
    </div>
  );
}
