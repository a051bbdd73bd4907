"use client";

import { useMutation } from "@tanstack/react-query";
import { useTranslations } from "next-intl";
import { useState } from "react";
import { Button } from "@/components/ui/button";
import { Field, FormError, Input, Select } from "@/components/ui/field";
import { useTRPC } from "@/trpc/react";
import type { RouterOutputs } from "@/components/console/types";

type Channel = RouterOutputs["notificationChannels"]["overview"]["channels"][number];
type Kind = Channel["kind"];

/** Add or edit one team chat robot: where, how it is signed, what it hears of. */
export function ChatChannelForm({
  initial,
  chatKinds,
  categories,
  staff,
  onDone,
}: {
  initial?: Channel;
  chatKinds: string[];
  categories: { id: number; name: string }[];
  staff: { id: number; displayName: string }[];
  onDone: () => void;
}) {
  const t = useTranslations("notifications");
  const trpc = useTRPC();
  const [name, setName] = useState(initial?.name ?? "");
  const [kind, setKind] = useState<Kind>(initial?.kind ?? "DINGTALK");
  const [webhookUrl, setWebhookUrl] = useState(initial?.webhookUrl ?? "");
  const [secret, setSecret] = useState("");
  const [enabled, setEnabled] = useState(initial?.enabled ?? true);
  const [locale, setLocale] = useState<"zh-CN" | "en">((initial?.locale as "zh-CN" | "en") ?? "zh-CN");
  const [kinds, setKinds] = useState<string[]>(initial?.kinds ?? ["ticket.created"]);
  const [categoryIds, setCategoryIds] = useState<number[]>(initial?.categoryIds ?? []);
  const [assigneeIds, setAssigneeIds] = useState<number[]>(initial?.assigneeIds ?? []);
  const [mentionAssignee, setMention] = useState(initial?.mentionAssignee ?? true);
  const create = useMutation(trpc.notificationChannels.createChat.mutationOptions({ onSuccess: onDone }));
  const update = useMutation(trpc.notificationChannels.updateChat.mutationOptions({ onSuccess: onDone }));
  const error = create.error ?? update.error;
  const toggle = <T,>(list: T[], value: T) => (list.includes(value) ? list.filter((v) => v !== value) : [...list, value]);

  return (
    <form
      data-testid="chat-form"
      className="space-y-3"
      onSubmit={(e) => {
        e.preventDefault();
        const input = { name, kind, webhookUrl, secret, enabled, locale, kinds, categoryIds, assigneeIds, mentionAssignee };
        if (initial) update.mutate({ id: initial.id, ...input });
        else create.mutate(input);
      }}
    >
      <div className="grid gap-3 md:grid-cols-3">
        <Field label={t("admin.chat.name")} required>
          <Input name="name" value={name} onChange={(e) => setName(e.target.value)} />
        </Field>
        <Field label={t("admin.chat.kind")} required>
          <Select name="kind" value={kind} onChange={(e) => setKind(e.target.value as Kind)}>
            {(["DINGTALK", "WECOM", "FEISHU", "WEBHOOK"] as const).map((k) => (
              <option key={k} value={k}>
                {t(`admin.chat.kinds.${k}`)}
              </option>
            ))}
          </Select>
        </Field>
        <Field label={t("admin.chat.locale")}>
          <Select name="locale" value={locale} onChange={(e) => setLocale(e.target.value as "zh-CN" | "en")}>
            <option value="zh-CN">中文</option>
            <option value="en">English</option>
          </Select>
        </Field>
      </div>
      <Field label={t("admin.chat.webhookUrl")} required>
        <Input name="webhookUrl" value={webhookUrl} onChange={(e) => setWebhookUrl(e.target.value)} />
      </Field>
      <Field label={t("admin.chat.secret")} help={t(`admin.chat.secretHint.${kind}`)}>
        <Input name="secret" type="password" autoComplete="new-password" placeholder={initial?.hasSecret ? t("admin.chat.secretKeep") : ""} value={secret} onChange={(e) => setSecret(e.target.value)} />
      </Field>
      <fieldset>
        <legend className="text-sm font-medium text-slate-700">{t("admin.chat.events")}</legend>
        <div className="mt-1 flex flex-wrap gap-3">
          {chatKinds.map((k) => (
            <label key={k} className="text-sm">
              <input type="checkbox" name={`kind-${k}`} checked={kinds.includes(k)} onChange={() => setKinds((l) => toggle(l, k))} /> {t(`kinds.${k}.label`)}
            </label>
          ))}
        </div>
      </fieldset>
      <fieldset>
        <legend className="text-sm font-medium text-slate-700">{t("admin.chat.categories")}</legend>
        <div className="mt-1 flex flex-wrap gap-3">
          {categories.map((c) => (
            <label key={c.id} className="text-sm">
              <input type="checkbox" checked={categoryIds.includes(c.id)} onChange={() => setCategoryIds((l) => toggle(l, c.id))} /> {c.name}
            </label>
          ))}
        </div>
      </fieldset>
      <fieldset>
        <legend className="text-sm font-medium text-slate-700">{t("admin.chat.assignees")}</legend>
        <div className="mt-1 flex flex-wrap gap-3">
          {staff.map((s) => (
            <label key={s.id} className="text-sm">
              <input type="checkbox" checked={assigneeIds.includes(s.id)} onChange={() => setAssigneeIds((l) => toggle(l, s.id))} /> {s.displayName}
            </label>
          ))}
        </div>
      </fieldset>
      <div className="flex flex-wrap gap-4 text-sm">
        <label>
          <input type="checkbox" checked={mentionAssignee} onChange={(e) => setMention(e.target.checked)} /> {t("admin.chat.mention")}
        </label>
        <label>
          <input type="checkbox" checked={enabled} onChange={(e) => setEnabled(e.target.checked)} /> {t("admin.chat.enabled")}
        </label>
      </div>
      <FormError message={error?.message} />
      <div className="flex gap-2">
        <Button type="submit" disabled={create.isPending || update.isPending} data-testid="chat-save">
          {t("prefs.save")}
        </Button>
        <Button type="button" variant="ghost" onClick={onDone}>
          ✕
        </Button>
      </div>
    </form>
  );
}
