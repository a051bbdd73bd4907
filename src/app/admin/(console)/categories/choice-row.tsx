import type { ReactNode } from "react";

/**
 * A form row for a group of controls (radios, an upload): a fieldset, because Field's <label>
 * would nest labels and send clicks to the first control. Same look: `*`, the `?` tooltip, an error.
 */
export function ChoiceRow({ label, required, help, error, children }: { label: ReactNode; required?: boolean; help?: string; error?: string | null; children: ReactNode }) {
  return (
    <fieldset className="space-y-1">
      <legend className="flex items-center gap-1 text-sm font-medium text-slate-700">
        {required && <span className="text-rose-600">*</span>}
        {label}
        {help && (
          <span title={help} aria-label={help} className="inline-flex h-4 w-4 cursor-help items-center justify-center rounded-full bg-slate-200 text-[10px] text-slate-600">
            ?
          </span>
        )}
      </legend>
      {children}
      {error && <span className="block text-xs text-rose-600">{error}</span>}
    </fieldset>
  );
}

export function Radio({ name, value, checked, onChange, children, testId }: { name: string; value: string; checked: boolean; onChange: () => void; children: ReactNode; testId?: string }) {
  return (
    <label className="inline-flex cursor-pointer items-center gap-1.5 text-sm text-slate-700">
      <input type="radio" name={name} value={value} checked={checked} onChange={onChange} data-testid={testId} className="accent-brand-600" />
      {children}
    </label>
  );
}
