"use client";

import { useState } from "react";
import { useTranslations } from "next-intl";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useTRPC } from "@/trpc/react";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { Field, FormError, Input, Select } from "@/components/ui/field";
import { ConfirmButton } from "@/components/console/confirm-button";
import { fieldError } from "@/components/trpc-errors";
import type { RouterOutputs } from "@/components/console/types";

type StaffRow = RouterOutputs["staff"]["list"][number];

export function StaffAdmin({ initial, viewerId }: { initial: StaffRow[]; viewerId: number }) {
  const t = useTranslations("console.staff");
  const tc = useTranslations("common");
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const list = useQuery(trpc.staff.list.queryOptions(undefined, { initialData: initial }));
  const refresh = () => queryClient.invalidateQueries(trpc.staff.list.queryFilter());
  const create = useMutation(trpc.staff.create.mutationOptions({ onSuccess: () => void refresh() }));
  const setDisabled = useMutation(trpc.staff.setDisabled.mutationOptions({ onSuccess: () => void refresh() }));
  const [resetting, setResetting] = useState<number | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const reset = useMutation(trpc.staff.resetPassword.mutationOptions({ onSuccess: () => { setResetting(null); setNotice(t("passwordReset")); } }));

  return (
    <div className="grid gap-4 lg:grid-cols-[1fr_22rem]">
      <Card title={t("title")}>
        <FormError message={setDisabled.error?.message ?? reset.error?.message} />
        {notice && <p className="mb-2 text-sm text-emerald-700" data-testid="staff-notice">{notice}</p>}
        <table className="w-full text-sm" data-testid="staff-table">
          <thead className="text-left text-xs text-slate-500">
            <tr>
              <th className="py-1">ID</th>
              <th>{t("loginName")}</th>
              <th>{t("displayName")}</th>
              <th>{t("role")}</th>
              <th>{t("status")}</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {list.data.map((s) => (
              <tr key={s.id} className="border-t border-slate-100" data-testid={`staff-${s.loginName}`}>
                <td className="py-1.5 font-mono text-xs">{s.id}</td>
                <td>{s.loginName}</td>
                <td>{s.displayName}</td>
                <td>{t(`roles.${s.role}`)}</td>
                <td>{s.disabled ? <Badge tone="red">{tc("disabled")}</Badge> : <Badge tone="green">{tc("enabled")}</Badge>}</td>
                <td className="space-x-1 py-1.5 text-right">
                  {resetting === s.id ? (
                    <form
                      className="inline-flex gap-1"
                      onSubmit={(e) => {
                        e.preventDefault();
                        reset.mutate({ staffId: s.id, password: String(new FormData(e.currentTarget).get("password")) });
                      }}
                    >
                      <Input name="password" type="password" minLength={8} required placeholder={t("newPassword")} className="w-44" />
                      <Button type="submit" disabled={reset.isPending}>{tc("confirm")}</Button>
                      <Button type="button" variant="ghost" onClick={() => setResetting(null)}>{tc("cancel")}</Button>
                    </form>
                  ) : (
                    <Button variant="ghost" onClick={() => { setNotice(null); setResetting(s.id); }}>{t("resetPassword")}</Button>
                  )}
                  {s.id !== viewerId &&
                    (s.disabled ? (
                      <Button variant="secondary" onClick={() => setDisabled.mutate({ staffId: s.id, disabled: false })}>{t("enable")}</Button>
                    ) : (
                      <ConfirmButton variant="secondary" label={t("disable")} question={t("disableConfirm", { name: s.displayName })} onConfirm={() => setDisabled.mutate({ staffId: s.id, disabled: true })} testId={`disable-${s.loginName}`} />
                    ))}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </Card>
      <Card title={t("new")}>
        <form
          className="space-y-3"
          data-testid="staff-form"
          onSubmit={(e) => {
            e.preventDefault();
            const form = e.currentTarget;
            const f = new FormData(form);
            create.mutate(
              {
                loginName: String(f.get("loginName")),
                displayName: String(f.get("displayName")),
                role: f.get("role") === "SUPER_ADMIN" ? "SUPER_ADMIN" : "STAFF",
                password: String(f.get("password")),
              },
              { onSuccess: () => form.reset() },
            );
          }}
        >
          <FormError message={create.error?.message} />
          <Field label={t("loginName")} required error={fieldError(create.error, "loginName")}>
            <Input name="loginName" required />
          </Field>
          <Field label={t("displayName")} required error={fieldError(create.error, "displayName")}>
            <Input name="displayName" required maxLength={64} />
          </Field>
          <Field label={t("role")}>
            <Select name="role" defaultValue="STAFF">
              <option value="STAFF">{t("roles.STAFF")}</option>
              <option value="SUPER_ADMIN">{t("roles.SUPER_ADMIN")}</option>
            </Select>
          </Field>
          <Field label={t("password")} required error={fieldError(create.error, "password")}>
            <Input name="password" type="password" required minLength={8} />
          </Field>
          <Button type="submit" disabled={create.isPending}>{tc("save")}</Button>
        </form>
      </Card>
    </div>
  );
}
