"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useTranslations } from "next-intl";
import { useState } from "react";
import type { inferRouterOutputs } from "@trpc/server";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { Field, FormError, Input } from "@/components/ui/field";
import { MaskedText } from "@/components/escalation/masked-text";
import { useTRPC } from "@/trpc/react";
import type { AppRouter } from "@/server/api/root";

type Policy = inferRouterOutputs<AppRouter>["sharing"]["policy"];
type Rule = Policy["customMasks"][number];
type BlockRule = Policy["blockRules"][number];

const MASKS = ["mobile", "email", "qq", "idCard", "brand"] as const;
const SHARES = ["shareMemberId", "sharePhone", "shareQq", "shareEmail", "shareName"] as const;
const lines = (s: string) => s.split("\n").map((l) => l.trim()).filter(Boolean);

/** 共享策略 of one upstream: what it may learn of our members, with a tester for the rules. */
export function SharingPolicyEditor({ connection, onDone }: { connection: { id: number; name: string }; onDone: () => void }) {
  const t = useTranslations("escalation.sharing");
  const trpc = useTRPC();
  const stored = useQuery(trpc.sharing.policy.queryOptions({ connectionId: connection.id }));
  return (
    <Card title={t("title", { name: connection.name })}>
      {stored.data ? <PolicyForm key={connection.id} connectionId={connection.id} initial={stored.data} onDone={onDone} /> : <p className="text-sm text-slate-600">…</p>}
    </Card>
  );
}

function PolicyForm({ connectionId, initial, onDone }: { connectionId: number; initial: Policy; onDone: () => void }) {
  const t = useTranslations("escalation.sharing");
  const common = useTranslations("escalation");
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [policy, setPolicy] = useState<Policy>(initial);
  const [brandTerms, setBrandTerms] = useState(initial.brandTerms.join("\n"));
  const [vendorTerms, setVendorTerms] = useState(initial.inbound.vendorTerms.join("\n"));
  const [sample, setSample] = useState("");
  const current = (): Policy => ({ ...policy, brandTerms: lines(brandTerms), inbound: { ...policy.inbound, vendorTerms: lines(vendorTerms) } });
  const save = useMutation(
    trpc.sharing.save.mutationOptions({
      onSuccess: async () => {
        await queryClient.invalidateQueries({ queryKey: trpc.sharing.policy.queryKey({ connectionId }) });
        onDone();
      },
    }),
  );
  const tryIt = useMutation(trpc.sharing.try.mutationOptions());
  const set = <K extends keyof Policy>(key: K, value: Policy[K]) => setPolicy((p) => ({ ...p, [key]: value }));

  return (
    <form
      data-testid="sharing-form"
      className="space-y-4 text-sm"
      onSubmit={(e) => {
        e.preventDefault();
        save.mutate({ connectionId, policy: current() });
      }}
    >
      <p className="text-slate-700">{t("intro")}</p>
      <FormError message={save.error?.message} />
      <fieldset className="space-y-1">
        <legend className="font-medium">{t("identity")}</legend>
        {SHARES.map((k) => (
          <label key={k} className="flex items-center gap-2">
            <input type="checkbox" data-testid={`sharing-${k}`} checked={policy[k]} onChange={(e) => set(k, e.target.checked)} /> {t(k)}
          </label>
        ))}
      </fieldset>
      <fieldset className="space-y-1">
        <legend className="font-medium">{t("masks")}</legend>
        <div className="flex flex-wrap gap-x-5 gap-y-1">
          {MASKS.map((k) => (
            <label key={k} className="flex items-center gap-2">
              <input type="checkbox" data-testid={`sharing-mask-${k}`} checked={policy.masks[k]} onChange={(e) => set("masks", { ...policy.masks, [k]: e.target.checked })} /> {t(`mask.${k}`)}
            </label>
          ))}
        </div>
      </fieldset>
      <Field label={t("brandTerms")}>
        <textarea data-testid="sharing-brand-terms" className="w-full rounded-md border border-slate-300 px-2 py-1" rows={2} value={brandTerms} onChange={(e) => setBrandTerms(e.target.value)} />
      </Field>
      <RuleList title={t("customMasks")} testId="sharing-custom" rules={policy.customMasks} withReason={false} onChange={(r) => set("customMasks", r as Rule[])} />
      <RuleList title={t("blockRules")} testId="sharing-block" rules={policy.blockRules} withReason onChange={(r) => set("blockRules", r as BlockRule[])} />
      <fieldset className="space-y-1">
        <legend className="font-medium">{t("files")}</legend>
        <label className="flex items-center gap-2">
          <input type="checkbox" checked={policy.forwardFilesByDefault} onChange={(e) => set("forwardFilesByDefault", e.target.checked)} /> {t("forwardFilesByDefault")}
        </label>
      </fieldset>
      <fieldset className="space-y-1">
        <legend className="font-medium">{t("inbound")}</legend>
        <label className="flex items-center gap-2">
          <input type="checkbox" checked={policy.inbound.maskContacts} onChange={(e) => set("inbound", { ...policy.inbound, maskContacts: e.target.checked })} /> {t("inboundMaskContacts")}
        </label>
        <Field label={t("vendorTerms")}>
          <textarea className="w-full rounded-md border border-slate-300 px-2 py-1" rows={2} value={vendorTerms} onChange={(e) => setVendorTerms(e.target.value)} />
        </Field>
      </fieldset>
      <fieldset className="space-y-2 rounded-md bg-slate-50 p-3">
        <legend className="font-medium">{t("tester")}</legend>
        <textarea data-testid="sharing-sample" aria-label={t("sample")} placeholder={t("sample")} className="w-full rounded-md border border-slate-300 px-2 py-1" rows={3} value={sample} onChange={(e) => setSample(e.target.value)} />
        <Button type="button" variant="secondary" data-testid="sharing-try" disabled={sample.trim() === "" || tryIt.isPending} onClick={() => tryIt.mutate({ policy: current(), sample })}>
          {t("runTest")}
        </Button>
        <FormError message={tryIt.error?.message} />
        {tryIt.data && (
          <div className="space-y-1" data-testid="sharing-try-result">
            <p>
              <span className="text-slate-600">{t("outbound")}：</span>
              <MaskedText value={tryIt.data.outbound} />
            </p>
            <p>
              <span className="text-slate-600">{t("inboundResult")}：</span>
              <MaskedText value={tryIt.data.inbound} />
            </p>
            <p className={tryIt.data.blockedBy ? "text-rose-700" : "text-slate-700"}>
              {tryIt.data.blockedBy ? t("blocked", { label: tryIt.data.blockedBy.label, reason: tryIt.data.blockedBy.reason }) : t("notBlocked")}
            </p>
          </div>
        )}
      </fieldset>
      <div className="flex gap-2">
        <Button type="submit" data-testid="sharing-save" disabled={save.isPending}>
          {common("save")}
        </Button>
        <Button type="button" variant="secondary" onClick={onDone}>
          {common("cancel")}
        </Button>
      </div>
    </form>
  );
}

type AnyRule = { label: string; kind: "keyword" | "regex"; pattern: string; reason?: string };

function RuleList({ title, testId, rules, withReason, onChange }: { title: string; testId: string; rules: AnyRule[]; withReason: boolean; onChange: (rules: AnyRule[]) => void }) {
  const t = useTranslations("escalation.sharing");
  const update = (i: number, patch: Partial<AnyRule>) => onChange(rules.map((r, j) => (j === i ? { ...r, ...patch } : r)));
  return (
    <fieldset className="space-y-2" data-testid={testId}>
      <legend className="font-medium">{title}</legend>
      {rules.map((r, i) => (
        <div key={i} className={`grid items-center gap-2 ${withReason ? "md:grid-cols-[8rem_9rem_1fr_1fr_auto]" : "md:grid-cols-[8rem_9rem_1fr_auto]"}`}>
          <Input aria-label={t("ruleLabel")} placeholder={t("ruleLabel")} maxLength={40} value={r.label} onChange={(e) => update(i, { label: e.target.value })} />
          <select aria-label={t("ruleKind")} className="rounded-md border border-slate-300 px-2 py-1.5" value={r.kind} onChange={(e) => update(i, { kind: e.target.value as AnyRule["kind"] })}>
            <option value="keyword">{t("kindKeyword")}</option>
            <option value="regex">{t("kindRegex")}</option>
          </select>
          <Input aria-label={t("rulePattern")} placeholder={t("rulePattern")} maxLength={200} value={r.pattern} onChange={(e) => update(i, { pattern: e.target.value })} />
          {withReason && <Input aria-label={t("ruleReason")} placeholder={t("ruleReason")} maxLength={200} value={r.reason ?? ""} onChange={(e) => update(i, { reason: e.target.value })} />}
          <Button type="button" variant="ghost" onClick={() => onChange(rules.filter((_, j) => j !== i))}>
            {t("removeRule")}
          </Button>
        </div>
      ))}
      <Button type="button" variant="secondary" onClick={() => onChange([...rules, { label: "", kind: "keyword", pattern: "", ...(withReason ? { reason: "" } : {}) }])}>
        {t("addRule")}
      </Button>
    </fieldset>
  );
}
