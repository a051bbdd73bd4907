"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useTranslations } from "next-intl";
import { useState } from "react";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { FormError, Textarea } from "@/components/ui/field";
import { fieldError } from "@/components/trpc-errors";
import { useTRPC } from "@/trpc/react";

/** 工单评论: shown only while the ticket is finished and unrated (the server decides). */
export function RatingForm({ ticketId }: { ticketId: number }) {
  const t = useTranslations("portal.detail");
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [rating, setRating] = useState(0);
  const [comment, setComment] = useState("");
  const rate = useMutation(trpc.portal.rate.mutationOptions({ onSuccess: () => queryClient.invalidateQueries(trpc.portal.pathFilter()) }));
  return (
    <Card title={t("rateTitle")}>
      <form
        className="space-y-3"
        data-testid="rating-form"
        onSubmit={(e) => {
          e.preventDefault();
          rate.mutate({ ticketId, rating, comment });
        }}
      >
        <p className="text-sm text-slate-500">{t("rateHint")}</p>
        <FormError message={fieldError(rate.error, "comment") ?? rate.error?.message} />
        <div className="flex items-center gap-1" role="radiogroup" aria-label={t("ratingLabel")}>
          {[1, 2, 3, 4, 5].map((n) => (
            <button
              key={n}
              type="button"
              role="radio"
              aria-checked={rating === n}
              aria-label={t("stars", { n })}
              data-testid={`star-${n}`}
              onClick={() => setRating(n)}
              className={`text-2xl leading-none transition ${n <= rating ? "text-amber-500" : "text-slate-300 hover:text-amber-300"}`}
            >
              ★
            </button>
          ))}
        </div>
        <Textarea name="comment" rows={3} maxLength={1000} value={comment} onChange={(e) => setComment(e.target.value)} placeholder={t("commentPlaceholder")} />
        <div className="flex justify-end">
          <Button type="submit" disabled={rating === 0 || rate.isPending} data-testid="submit-rating">
            {t("submitRating")}
          </Button>
        </div>
      </form>
    </Card>
  );
}
