"use client";

import { useMutation } from "@tanstack/react-query";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useTranslations } from "next-intl";
import { useState, type FormEvent } from "react";
import { Button } from "@/components/ui/button";
import { Field, FormError, Input, Select, Textarea } from "@/components/ui/field";
import { fieldError } from "@/components/trpc-errors";
import { useTRPC } from "@/trpc/react";
import { ChoiceRow, Radio } from "./choice-row";
import { IconField } from "./icon-field";

const TYPES = ["NORMAL", "BUSINESS_TECH", "ICP_FILING", "TRADEMARK", "OTHER"] as const;
type CategoryType = (typeof TYPES)[number];

export type CategoryFormValues = {
  id?: number;
  name: string;
  description: string;
  groupId: number | null;
  type: CategoryType;
  submitToApi: boolean;
  iconKey: string | null;
  iconUrl: string | null;
  sortOrder: number | null;
  enabled: boolean;
};

/** 添加/修改分类, field for field as in the manual. */
export function CategoryForm({ initial, groups }: { initial: CategoryFormValues; groups: { id: number; name: string; enabled: boolean }[] }) {
  const t = useTranslations("categories");
  const trpc = useTRPC();
  const router = useRouter();
  const [type, setType] = useState<CategoryType>(initial.type);
  const [submitToApi, setSubmitToApi] = useState(initial.submitToApi);
  const [enabled, setEnabled] = useState(initial.enabled);
  const [iconKey, setIconKey] = useState(initial.iconKey);
  const done = { onSuccess: () => (router.push("/admin/categories"), router.refresh()) };
  const create = useMutation(trpc.categories.create.mutationOptions(done));
  const update = useMutation(trpc.categories.update.mutationOptions(done));
  const mutation = initial.id ? update : create;
  const err = (field: string) => fieldError(mutation.error, field);

  function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const f = new FormData(e.currentTarget);
    const text = (k: string) => String(f.get(k) ?? "");
    const values = {
      name: text("name"),
      description: text("description"),
      groupId: text("groupId") ? Number(text("groupId")) : null,
      type,
      // The manual offers 是否提交到API only beside the "(可提交到API)" types.
      submitToApi: type !== "NORMAL" && submitToApi,
      iconKey,
      sortOrder: text("sortOrder").trim() === "" ? null : Number(text("sortOrder")),
      enabled,
    };
    if (initial.id) update.mutate({ ...values, id: initial.id });
    else create.mutate(values);
  }

  return (
    <form onSubmit={submit} className="max-w-2xl space-y-4" data-testid="category-form" noValidate>
      <p className="rounded-md border border-amber-200 bg-amber-50 px-3 py-2 text-sm text-amber-800">{t("reminder")}</p>
      <FormError message={mutation.error && !mutation.error.data?.fieldErrors ? mutation.error.message : null} />
      <Field label={t("form.name")} required help={t("form.help.name")} error={err("name")}>
        <Input name="name" defaultValue={initial.name} maxLength={64} required />
        <span className="block text-xs text-slate-400">{t("form.nameNote")}</span>
      </Field>
      <Field label={t("form.description")} required help={t("form.help.description")} error={err("description")}>
        <Textarea name="description" defaultValue={initial.description} maxLength={500} rows={3} required />
      </Field>
      <Field label={t("form.group")} required help={t("form.help.group")} error={err("groupId")}>
        <Select name="groupId" defaultValue={initial.groupId ?? ""} required>
          <option value="">{t("form.groupPlaceholder")}</option>
          {groups.map((g) => (
            <option key={g.id} value={g.id}>
              {g.enabled ? g.name : `${g.name}（${t("status.disabled")}）`}
            </option>
          ))}
        </Select>
        {groups.length === 0 && <span className="block text-xs text-amber-700">{t("form.noGroups")}</span>}
      </Field>
      <Field label={t("form.type")} required help={t("form.help.type")} error={err("type")}>
        <Select name="type" value={type} onChange={(e) => setType(e.target.value as CategoryType)}>
          {TYPES.map((k) => (
            <option key={k} value={k}>
              {t(`typeOptions.${k}`)}
            </option>
          ))}
        </Select>
        <span className="block text-xs text-slate-400">{t("onePerTypeNote")}</span>
      </Field>
      {type !== "NORMAL" && (
        <ChoiceRow label={t("form.submitToApi")} help={t("form.help.submitToApi")} error={err("submitToApi")}>
          <div className="flex gap-4">
            <Radio name="submitToApi" value="yes" checked={submitToApi} onChange={() => setSubmitToApi(true)} testId="submit-to-api-yes">
              {t("yes")}
            </Radio>
            <Radio name="submitToApi" value="no" checked={!submitToApi} onChange={() => setSubmitToApi(false)} testId="submit-to-api-no">
              {t("no")}
            </Radio>
          </div>
        </ChoiceRow>
      )}
      <IconField iconKey={iconKey} iconUrl={initial.iconUrl} onChange={setIconKey} />
      <Field label={t("form.sortOrder")} required help={t("form.help.sortOrder")} error={err("sortOrder")}>
        <Input name="sortOrder" type="number" min={0} step={1} defaultValue={initial.sortOrder ?? ""} className="max-w-32" required />
      </Field>
      <ChoiceRow label={t("form.status")} help={t("form.help.status")}>
        <div className="flex gap-4">
          <Radio name="enabled" value="1" checked={enabled} onChange={() => setEnabled(true)}>
            {t("status.enabled")}
          </Radio>
          <Radio name="enabled" value="0" checked={!enabled} onChange={() => setEnabled(false)}>
            {t("status.disabled")}
          </Radio>
        </div>
      </ChoiceRow>
      <div className="flex gap-2 pt-2">
        <Button type="submit" disabled={mutation.isPending} data-testid="category-submit">
          {initial.id ? t("submitEdit") : t("submitAdd")}
        </Button>
        <Link href="/admin/categories" className="rounded-md border border-slate-300 bg-white px-3 py-1.5 text-sm text-slate-700 hover:bg-slate-50">
          {t("groups.cancel")}
        </Link>
      </div>
    </form>
  );
}
