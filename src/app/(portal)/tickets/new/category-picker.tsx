"use client";

export type CategoryOption = { id: number; name: string; description: string; type: string; iconUrl: string | null; isBusinessTech: boolean };
export type CategoryGroupOption = { id: number; name: string; categories: CategoryOption[] };

/** Enabled categories by group, as cards with icon and description; one is chosen. */
export function CategoryPicker({ groups, value, onChange }: { groups: CategoryGroupOption[]; value: number | null; onChange: (id: number) => void }) {
  return (
    <div className="space-y-5" role="radiogroup">
      {groups.map((g) => (
        <section key={g.id}>
          <h3 className="mb-2 text-sm font-medium text-slate-500">{g.name}</h3>
          <div className="grid gap-3 sm:grid-cols-2">
            {g.categories.map((c) => {
              const chosen = c.id === value;
              return (
                <button
                  key={c.id}
                  type="button"
                  role="radio"
                  aria-checked={chosen}
                  data-testid="category-option"
                  onClick={() => onChange(c.id)}
                  className={`flex items-start gap-3 rounded-lg border p-3 text-left transition ${
                    chosen ? "border-brand-500 bg-brand-50 ring-2 ring-brand-100" : "border-slate-200 bg-white hover:border-brand-500"
                  }`}
                >
                  {c.iconUrl ? (
                    // eslint-disable-next-line @next/next/no-img-element -- uploaded icon served by the file route (112×56)
                    <img src={c.iconUrl} alt="" className="h-7 w-14 shrink-0 object-contain" />
                  ) : (
                    <span aria-hidden className="flex h-7 w-14 shrink-0 items-center justify-center rounded bg-slate-100 text-sm font-semibold text-slate-500">
                      {c.name.slice(0, 1)}
                    </span>
                  )}
                  <span className="min-w-0">
                    <span className="block font-medium text-slate-800">{c.name}</span>
                    <span className="mt-0.5 block text-xs text-slate-500">{c.description}</span>
                  </span>
                </button>
              );
            })}
          </div>
        </section>
      ))}
    </div>
  );
}
