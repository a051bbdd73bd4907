"use client";

import { useMutation } from "@tanstack/react-query";
import { useTranslations } from "next-intl";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { Field, FormError, Input, Textarea } from "@/components/ui/field";
import { fieldError } from "@/components/trpc-errors";
import { useTRPC } from "@/trpc/react";
import type { AttachmentView } from "../../_components/attachment-list";
import { AttachmentPicker } from "../../_components/attachment-picker";
import { BusinessFields, type Business, type ServiceOption } from "./business-fields";
import { CategoryPicker, type CategoryGroupOption } from "./category-picker";

const NO_BUSINESS: Business = { businessId: "", businessIp: "", businessType: "" };

export function NewTicketForm({ groups, contact, services }: { groups: CategoryGroupOption[]; contact: { phone: string; qq: string }; services: ServiceOption[] }) {
  const t = useTranslations("portal.new");
  const ta = useTranslations("portal.attachments");
  const trpc = useTRPC();
  const router = useRouter();
  const [categoryId, setCategoryId] = useState<number | null>(null);
  const [business, setBusiness] = useState<Business>(NO_BUSINESS);
  const [attachments, setAttachments] = useState<AttachmentView[]>([]);
  const create = useMutation(
    trpc.portal.create.mutationOptions({
      onSuccess: ({ ticketId }) => {
        router.push(`/tickets/${ticketId}`);
        router.refresh();
      },
    }),
  );
  const category = groups.flatMap((g) => g.categories).find((c) => c.id === categoryId);

  if (groups.length === 0) {
    return (
      <Card>
        <p className="text-sm text-slate-500">{t("noCategories")}</p>
      </Card>
    );
  }

  return (
    <form
      className="space-y-4"
      data-testid="new-ticket-form"
      onSubmit={(e) => {
        e.preventDefault();
        if (!category) return;
        const f = new FormData(e.currentTarget);
        create.mutate({
          categoryId: category.id,
          title: String(f.get("title") ?? ""),
          body: String(f.get("body") ?? ""),
          contactPhone: String(f.get("contactPhone") ?? ""),
          contactQq: String(f.get("contactQq") ?? ""),
          ...(category.isBusinessTech ? business : NO_BUSINESS),
          attachmentIds: attachments.map((a) => a.id),
        });
      }}
    >
      <Card title={`1. ${t("stepCategory")}`}>
        <CategoryPicker groups={groups} value={categoryId} onChange={setCategoryId} />
      </Card>

      <Card title={`2. ${t("stepDetails")}`}>
        {!category ? (
          <p className="text-sm text-slate-500">{t("chooseCategoryFirst")}</p>
        ) : (
          <div className="space-y-4">
            <p className="text-sm text-slate-600" data-testid="chosen-category">
              {t("chosen", { name: category.name })}
            </p>
            <FormError message={create.error?.message} />
            <Field label={t("subject")} required error={fieldError(create.error, "title")}>
              <Input name="title" required maxLength={200} placeholder={t("subjectPlaceholder")} />
            </Field>
            <Field label={t("body")} required help={t("bodyHelp")} error={fieldError(create.error, "body")}>
              <Textarea name="body" required rows={8} maxLength={20000} placeholder={t("bodyPlaceholder")} />
            </Field>
            <div className="grid gap-3 sm:grid-cols-2">
              <Field label={t("contactPhone")} error={fieldError(create.error, "contactPhone")}>
                <Input name="contactPhone" defaultValue={contact.phone} maxLength={40} />
              </Field>
              <Field label={t("contactQq")} error={fieldError(create.error, "contactQq")}>
                <Input name="contactQq" defaultValue={contact.qq} maxLength={12} />
              </Field>
            </div>
            {category.isBusinessTech && (
              <BusinessFields services={services} value={business} onChange={setBusiness} error={fieldError(create.error, "businessId")} />
            )}
            {/* Not a <Field>: a label around the picker's button would re-trigger it on any click. */}
            <div className="space-y-1">
              <span className="text-sm font-medium text-slate-700">{ta("label")}</span>
              <AttachmentPicker value={attachments} onChange={setAttachments} />
              {fieldError(create.error, "attachmentIds") && <span className="block text-xs text-rose-600">{fieldError(create.error, "attachmentIds")}</span>}
            </div>
            <div className="flex justify-end">
              <Button type="submit" disabled={create.isPending} data-testid="submit-ticket">
                {create.isPending ? t("submitting") : t("submit")}
              </Button>
            </div>
          </div>
        )}
      </Card>
    </form>
  );
}
