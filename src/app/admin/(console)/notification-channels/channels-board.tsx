"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useTranslations } from "next-intl";
import { useState } from "react";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { Field, FormError, Input, Select } from "@/components/ui/field";
import { formatLocal } from "@/components/escalation/format";
import { useTRPC } from "@/trpc/react";
import type { RouterOutputs } from "@/components/console/types";
import { ChatChannelForm } from "./chat-channel-form";

type Overview = RouterOutputs["notificationChannels"]["overview"];

export function ChannelsBoard() {
  const trpc = useTRPC();
  const overview = useQuery(trpc.notificationChannels.overview.queryOptions());
  const options = useQuery(trpc.console.options.queryOptions());
  if (!overview.data) return null;
  const categories = options.data?.groups.flatMap((g) => g.categories.map((c) => ({ id: c.id, name: c.name }))) ?? [];
  return (
    <div className="space-y-4">
      <SmtpCard data={overview.data} />
      <InboundCard data={overview.data} />
      <ChatCard data={overview.data} categories={categories} staff={options.data?.staff ?? []} />
    </div>
  );
}

function useRefresh() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  return () => queryClient.invalidateQueries({ queryKey: trpc.notificationChannels.overview.queryKey() });
}

type SmtpForm = { enabled: boolean; host: string; port: string; security: "tls" | "starttls" | "none"; user: string; password: string; fromAddress: string; fromName: string };

function SmtpCard({ data }: { data: Overview }) {
  const t = useTranslations("notifications.admin.smtp");
  const trpc = useTRPC();
  const refresh = useRefresh();
  const s = data.smtp.settings;
  const [form, setForm] = useState<SmtpForm>(() =>
    s
      ? { enabled: s.enabled, host: s.host, port: String(s.port), security: s.security as SmtpForm["security"], user: s.user, password: "", fromAddress: s.fromAddress, fromName: s.fromName }
      : { enabled: true, host: "", port: "465", security: "tls", user: "", password: "", fromAddress: "", fromName: "" },
  );
  const [to, setTo] = useState("");
  const [notice, setNotice] = useState<string | null>(null);
  const save = useMutation(trpc.notificationChannels.saveSmtp.mutationOptions({ onSuccess: () => { setNotice(t("saved")); void refresh(); } }));
  const test = useMutation(trpc.notificationChannels.testMail.mutationOptions({ onSuccess: (r) => setNotice(t("testSent", { to: r.sentTo })) }));
  const set = (patch: Partial<SmtpForm>) => setForm((f) => ({ ...f, ...patch }));
  const source = { console: t("sourceConsole"), env: t("sourceEnv"), none: t("sourceNone") }[data.smtp.source];
  return (
    <Card title={t("title")}>
      <p className="mb-3 text-sm text-slate-600">
        {t("source")}：<span data-testid="smtp-source">{source}</span>
      </p>
      <form
        data-testid="smtp-form"
        className="grid gap-3 md:grid-cols-3"
        onSubmit={(e) => {
          e.preventDefault();
          setNotice(null);
          save.mutate({ ...form, port: Number(form.port) });
        }}
      >
        <Field label={t("host")} required>
          <Input name="host" value={form.host} onChange={(e) => set({ host: e.target.value })} />
        </Field>
        <Field label={t("port")} required>
          <Input name="port" inputMode="numeric" value={form.port} onChange={(e) => set({ port: e.target.value })} />
        </Field>
        <Field label={t("security")}>
          <Select name="security" value={form.security} onChange={(e) => set({ security: e.target.value as SmtpForm["security"] })}>
            <option value="tls">{t("securityTls")}</option>
            <option value="starttls">{t("securityStarttls")}</option>
            <option value="none">{t("securityNone")}</option>
          </Select>
        </Field>
        <Field label={t("user")}>
          <Input name="user" value={form.user} autoComplete="off" onChange={(e) => set({ user: e.target.value })} />
        </Field>
        <Field label={t("password")}>
          <Input name="password" type="password" autoComplete="new-password" placeholder={s?.hasPassword ? t("passwordKeep") : ""} value={form.password} onChange={(e) => set({ password: e.target.value })} />
        </Field>
        <Field label={t("fromAddress")} required>
          <Input name="fromAddress" type="email" value={form.fromAddress} onChange={(e) => set({ fromAddress: e.target.value })} />
        </Field>
        <Field label={t("fromName")}>
          <Input name="fromName" value={form.fromName} onChange={(e) => set({ fromName: e.target.value })} />
        </Field>
        <label className="flex items-center gap-2 self-end text-sm">
          <input type="checkbox" name="enabled" checked={form.enabled} onChange={(e) => set({ enabled: e.target.checked })} /> {t("enabled")}
        </label>
        <div className="self-end">
          <Button type="submit" disabled={save.isPending} data-testid="smtp-save">
            {t("save")}
          </Button>
        </div>
      </form>
      <p className="mt-2 text-xs text-slate-500">{t("hint")}</p>
      <div className="mt-4 flex items-end gap-2 border-t border-slate-100 pt-4">
        <Field label={t("testTo")}>
          <Input name="testTo" type="email" value={to} onChange={(e) => setTo(e.target.value)} />
        </Field>
        <Button type="button" variant="secondary" data-testid="smtp-test" disabled={test.isPending || !to} onClick={() => { setNotice(null); test.mutate({ to }); }}>
          {t("test")}
        </Button>
      </div>
      <div className="mt-2 space-y-2">
        <FormError message={save.error?.message ?? test.error?.message} />
        {notice && <p className="text-sm text-emerald-700" data-testid="smtp-notice">{notice}</p>}
      </div>
    </Card>
  );
}

function InboundCard({ data }: { data: Overview }) {
  const t = useTranslations("notifications.admin.inbound");
  const i = data.inbound;
  return (
    <Card title={t("title")}>
      <p className="mb-3 text-sm text-slate-600" data-testid="inbound-listener">
        {t("listener")}：{i.listening ? t("listenerOn", { port: i.port ?? "-", domain: i.replyDomain ?? "-" }) : t("listenerOff")}
      </p>
      <h3 className="mb-2 text-sm font-medium text-slate-700">{t("recent")}</h3>
      <table className="w-full text-left text-sm" data-testid="inbound-mails">
        <thead className="text-xs text-slate-500">
          <tr>
            <th className="py-1">{t("at")}</th>
            <th>{t("from")}</th>
            <th>{t("ticket")}</th>
            <th>{t("status")}</th>
            <th>{t("reason")}</th>
          </tr>
        </thead>
        <tbody>
          {i.recent.map((m) => (
            <tr key={m.id} className="border-t border-slate-100">
              <td className="py-1">{formatLocal(m.receivedAt)}</td>
              <td>{m.from ?? "-"}</td>
              <td>{m.ticketId ?? "-"}</td>
              <td>
                <Badge tone={m.status === "APPLIED" ? "green" : m.status === "REFUSED" ? "red" : "gray"}>{t(`statuses.${m.status}`)}</Badge>
              </td>
              <td className="text-slate-500">{m.reason ?? ""}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </Card>
  );
}

function ChatCard({ data, categories, staff }: { data: Overview; categories: { id: number; name: string }[]; staff: { id: number; displayName: string }[] }) {
  const t = useTranslations("notifications.admin.chat");
  const trpc = useTRPC();
  const refresh = useRefresh();
  const [editing, setEditing] = useState<number | "new" | null>(null);
  const [notice, setNotice] = useState<{ id: number; text: string; error: boolean } | null>(null);
  const test = useMutation(
    trpc.notificationChannels.testChat.mutationOptions({
      onSuccess: (_r, v) => setNotice({ id: v.id, text: t("testSent"), error: false }),
      onError: (e, v) => setNotice({ id: v.id, text: e.message, error: true }),
      onSettled: () => void refresh(),
    }),
  );
  const remove = useMutation(trpc.notificationChannels.deleteChat.mutationOptions({ onSuccess: () => void refresh() }));
  const current = typeof editing === "number" ? data.channels.find((c) => c.id === editing) : undefined;
  return (
    <Card
      title={t("title")}
      actions={
        <Button variant="secondary" data-testid="chat-add" onClick={() => setEditing("new")}>
          {t("add")}
        </Button>
      }
    >
      <p className="mb-3 text-xs text-slate-500">{t("limits")}</p>
      {editing !== null && (
        <div className="mb-4 rounded-md border border-slate-200 p-3">
          <ChatChannelForm
            key={String(editing)}
            initial={current}
            chatKinds={data.chatKinds}
            categories={categories}
            staff={staff}
            onDone={() => {
              setEditing(null);
              void refresh();
            }}
          />
        </div>
      )}
      {data.channels.length === 0 && <p className="text-sm text-slate-500">{t("none")}</p>}
      <ul className="divide-y divide-slate-100">
        {data.channels.map((c) => (
          <li key={c.id} className="py-2 text-sm" data-testid={`chat-channel-${c.id}`}>
            <div className="flex flex-wrap items-center gap-2">
              <span className="font-medium">{c.name}</span>
              <Badge tone="gray">{t(`kinds.${c.kind}`)}</Badge>
              <Badge tone={c.enabled ? "green" : "gray"}>{c.enabled ? t("enabled") : "-"}</Badge>
              <span className="ml-auto flex gap-2">
                <Button variant="secondary" data-testid="chat-test" disabled={test.isPending} onClick={() => { setNotice(null); test.mutate({ id: c.id }); }}>
                  {t("test")}
                </Button>
                <Button variant="ghost" onClick={() => setEditing(c.id)}>
                  ✎
                </Button>
                <Button variant="ghost" onClick={() => window.confirm(t("deleteConfirm", { name: c.name })) && remove.mutate({ id: c.id })}>
                  ✕
                </Button>
              </span>
            </div>
            <div className="mt-1 break-all text-xs text-slate-500">{c.webhookUrl}</div>
            <div className="text-xs text-slate-500">
              {t("lastSent")}: {c.lastSentAt ? formatLocal(c.lastSentAt) : "-"}
              {c.lastError && <span className="ml-2 text-rose-700">{t("lastError")}: {c.lastError}</span>}
            </div>
            {notice?.id === c.id && (
              <p className={`text-sm ${notice.error ? "text-rose-700" : "text-emerald-700"}`} data-testid="chat-notice">
                {notice.text}
              </p>
            )}
          </li>
        ))}
      </ul>
    </Card>
  );
}
