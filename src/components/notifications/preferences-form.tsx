"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useTranslations } from "next-intl";
import { useState } from "react";
import { Button } from "@/components/ui/button";
import { Field, FormError, Input, Select } from "@/components/ui/field";
import { useTRPC } from "@/trpc/react";

type Choice = { kind: string; inApp: boolean; email: boolean };
type Contact = { email: string; mobile: string; locale: "" | "zh-CN" | "en" };

/**
 * 通知设置, for the signed-in person: events × channels; staff also give their notification
 * address, the mobile number robots @-mention, and the categories whose new tickets they hear of.
 */
export function PreferencesForm(props: { categories?: { id: number; name: string }[]; memberEmail?: string }) {
  const trpc = useTRPC();
  const prefs = useQuery(trpc.notifications.preferences.queryOptions());
  if (!prefs.data) return <p className="text-sm text-slate-500">…</p>;
  return <PreferencesEditor {...props} initial={prefs.data} />;
}

type Stored = { kinds: Choice[]; watchCategoryIds: number[] | null; contact: { email: string; mobile: string; locale: string } | null };

function PreferencesEditor({ categories, memberEmail, initial }: { categories?: { id: number; name: string }[]; memberEmail?: string; initial: Stored }) {
  const t = useTranslations("notifications");
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [kinds, setKinds] = useState<Choice[]>(initial.kinds);
  const [watch, setWatch] = useState<number[] | null>(initial.watchCategoryIds);
  const [contact, setContact] = useState<Contact>((initial.contact as Contact | null) ?? { email: "", mobile: "", locale: "" });
  const [saved, setSaved] = useState(false);

  const save = useMutation(
    trpc.notifications.savePreferences.mutationOptions({
      onSuccess: (data) => {
        queryClient.setQueryData(trpc.notifications.preferences.queryKey(), data);
        setSaved(true);
      },
    }),
  );
  const staff = initial.contact !== null;
  const toggle = (kind: string, channel: "inApp" | "email") => {
    setSaved(false);
    setKinds((ks) => ks.map((k) => (k.kind === kind ? { ...k, [channel]: !k[channel] } : k)));
  };

  return (
    <form
      data-testid="notification-preferences"
      className="space-y-4"
      onSubmit={(e) => {
        e.preventDefault();
        save.mutate({ kinds, watchCategoryIds: watch, ...(staff ? { contact } : {}) });
      }}
    >
      <p className="text-sm text-slate-500">{t("prefs.intro")}</p>
      {memberEmail && <p className="text-sm text-slate-600">{t("prefs.memberEmail", { email: memberEmail })}</p>}
      <table className="w-full text-sm">
        <thead>
          <tr className="border-b border-slate-100 text-left text-xs text-slate-500">
            <th className="py-2 font-medium">{t("prefs.kind")}</th>
            <th className="w-24 py-2 text-center font-medium">{t("prefs.inApp")}</th>
            <th className="w-24 py-2 text-center font-medium">{t("prefs.email")}</th>
          </tr>
        </thead>
        <tbody>
          {kinds.map((k) => (
            <tr key={k.kind} className="border-b border-slate-50" data-testid={`pref-${k.kind}`}>
              <td className="py-2">{t(`kinds.${k.kind}.label`)}</td>
              <td className="text-center">
                <input type="checkbox" aria-label={`${t(`kinds.${k.kind}.label`)} ${t("prefs.inApp")}`} checked={k.inApp} onChange={() => toggle(k.kind, "inApp")} data-testid={`pref-${k.kind}-inApp`} />
              </td>
              <td className="text-center">
                <input type="checkbox" aria-label={`${t(`kinds.${k.kind}.label`)} ${t("prefs.email")}`} checked={k.email} onChange={() => toggle(k.kind, "email")} data-testid={`pref-${k.kind}-email`} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>

      {staff && categories && (
        <fieldset className="space-y-2">
          <legend className="text-sm font-medium text-slate-700">{t("prefs.watch")}</legend>
          <label className="mr-4 text-sm">
            <input type="radio" checked={watch === null} onChange={() => setWatch(null)} /> {t("prefs.watchAll")}
          </label>
          <label className="text-sm">
            <input type="radio" checked={watch !== null} onChange={() => setWatch([])} /> {t("prefs.watchSome")}
          </label>
          {watch !== null && (
            <div className="flex flex-wrap gap-3 pl-4">
              {categories.map((c) => (
                <label key={c.id} className="text-sm">
                  <input type="checkbox" checked={watch.includes(c.id)} onChange={() => setWatch((w) => (w ?? []).includes(c.id) ? (w ?? []).filter((x) => x !== c.id) : [...(w ?? []), c.id])} /> {c.name}
                </label>
              ))}
            </div>
          )}
        </fieldset>
      )}

      {staff && (
        <fieldset className="grid gap-3 md:grid-cols-3">
          <legend className="mb-1 text-sm font-medium text-slate-700">{t("prefs.contact")}</legend>
          <Field label={t("prefs.staffEmail")}>
            <Input type="email" name="email" value={contact.email} onChange={(e) => setContact({ ...contact, email: e.target.value })} />
          </Field>
          <Field label={t("prefs.staffMobile")}>
            <Input name="mobile" value={contact.mobile} onChange={(e) => setContact({ ...contact, mobile: e.target.value })} />
          </Field>
          <Field label={t("prefs.locale")}>
            <Select value={contact.locale} onChange={(e) => setContact({ ...contact, locale: e.target.value as Contact["locale"] })}>
              <option value="">{t("prefs.localeDefault")}</option>
              <option value="zh-CN">中文</option>
              <option value="en">English</option>
            </Select>
          </Field>
        </fieldset>
      )}

      <FormError message={save.error?.message} />
      <div className="flex items-center gap-3">
        <Button type="submit" disabled={save.isPending} data-testid="save-preferences">
          {t("prefs.save")}
        </Button>
        {saved && <span className="text-sm text-emerald-700" data-testid="preferences-saved">{t("prefs.saved")}</span>}
      </div>
    </form>
  );
}
