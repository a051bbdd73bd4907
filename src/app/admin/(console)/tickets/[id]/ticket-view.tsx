"use client";

import Link from "next/link";
import { useEffect, useRef, useState } from "react";
import { useTranslations } from "next-intl";
import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useTRPC } from "@/trpc/react";
import { Card } from "@/components/ui/card";
import { MutationError, toConsoleError, type ConsoleError } from "@/components/console/mutation-error";
import type { QueueOptions, TicketDetail } from "@/components/console/types";
import { BasicInfo } from "./basic-info";
import { ActionRow, type TicketOps } from "./action-row";
import { Conversation } from "./conversation";
import { Composer } from "./composer";
import { AuditTrail } from "./audit-trail";
import { SlaBox } from "./sla-box";
import { EscalateDialog } from "@/components/escalation/escalate-dialog";
import { PresenceBar } from "@/components/live/presence-bar";
import { isHeldReply } from "@/components/live/held-reply";
import { PRESENCE_BEAT_MS } from "@/lib/live";

export function TicketView({ initial, options }: { initial: TicketDetail; options: QueueOptions }) {
  const t = useTranslations("console.ticket");
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const ticketId = initial.id;
  const { data = initial, refetch } = useQuery(trpc.console.ticket.queryOptions({ ticketId }, { initialData: initial }));
  // 沟通记录 in pages, newest first; "load older" fetches the next page back. A refetch walks the
  // loaded pages again from the newest, so a new message never leaves a gap between pages.
  const conversation = useInfiniteQuery(
    trpc.console.conversation.infiniteQueryOptions(
      { ticketId },
      {
        initialCursor: null,
        initialData: { pages: [{ messages: initial.messages, olderCursor: initial.olderCursor }], pageParams: [null] },
        getNextPageParam: (page) => page.olderCursor,
      },
    ),
  );
  const messages = (conversation.data?.pages ?? []).toReversed().flatMap((p) => p.messages);
  const [error, setError] = useState<ConsoleError>(null);
  const [escalating, setEscalating] = useState(false);

  // Every mutation carries the version this page shows; a CONFLICT means someone else acted first.
  const callbacks = {
    onSuccess: async () => {
      setError(null);
      await Promise.all([
        queryClient.invalidateQueries(trpc.console.ticket.queryFilter({ ticketId })),
        queryClient.invalidateQueries(trpc.console.conversation.pathFilter()),
      ]);
    },
    onError: (e: { message: string; data?: { code?: string } | null }) => setError(toConsoleError(e)),
  };
  const accept = useMutation(trpc.console.accept.mutationOptions(callbacks));
  const close = useMutation(trpc.console.close.mutationOptions(callbacks));
  const move = useMutation(trpc.console.move.mutationOptions(callbacks));
  // A reply held by the stale-reply guard is the composer's to show, not an error banner.
  const reply = useMutation(trpc.console.reply.mutationOptions({ ...callbacks, onError: (e) => (isHeldReply(e) ? setError(null) : callbacks.onError(e)) }));
  const note = useMutation(trpc.console.note.mutationOptions(callbacks));
  const escalate = useMutation(trpc.escalation.escalate.mutationOptions(callbacks));
  const sync = useMutation(trpc.escalation.sync.mutationOptions(callbacks));
  const returnToPartner = useMutation(trpc.partnerTickets.returnToPartner.mutationOptions(callbacks));
  const closeUpstreamSide = useMutation(trpc.partnerTickets.closeUpstreamSide.mutationOptions(callbacks));

  const ref = { ticketId, expectedVersion: data.version };
  const lastPublicId = messages.reduce((max, m) => (!m.staffOnly && m.id > max ? m.id : max), 0);

  // Presence: a heartbeat while the page is open (at once when typing starts or stops), a
  // goodbye when it closes; the others on the ticket re-read on presence events and each beat.
  const others = useQuery(trpc.presence.ticket.queryOptions({ ticketId }, { refetchInterval: PRESENCE_BEAT_MS, placeholderData: (prev) => prev }));
  const beat = useMutation(trpc.presence.beat.mutationOptions());
  const [typing, setTyping] = useState(false);
  const beatRef = useRef(beat.mutate);
  useEffect(() => {
    beatRef.current = beat.mutate;
  });
  useEffect(() => {
    const send = () => beatRef.current({ ticketId, typing });
    send();
    const timer = setInterval(send, PRESENCE_BEAT_MS);
    return () => clearInterval(timer);
  }, [ticketId, typing]);
  useEffect(() => {
    // A full navigation unloads the page before an ordinary request would leave: keepalive.
    const leave = () => void fetch("/api/trpc/presence.leave", { method: "POST", keepalive: true, headers: { "content-type": "application/json" }, body: JSON.stringify({ json: { ticketId } }) }).catch(() => {});
    window.addEventListener("pagehide", leave);
    return () => {
      window.removeEventListener("pagehide", leave);
      leave();
    };
  }, [ticketId]);
  const ops: TicketOps = {
    accept: () => accept.mutate(ref),
    close: () => close.mutate(ref),
    move: (v) => move.mutate({ ...ref, ...v }),
    // The dialog shows what the upstream will receive; staff confirm there.
    escalate: () => setEscalating(true),
    sync: () => sync.mutate(ref),
    returnToPartner: () => returnToPartner.mutate(ref),
    closeUpstreamSide: () => closeUpstreamSide.mutate(ref),
  };
  const busy = [accept, close, move, reply, note, escalate, sync, returnToPartner, closeUpstreamSide].some((m) => m.isPending);

  return (
    <div className="mx-auto max-w-6xl space-y-4">
      <div className="flex items-center justify-between text-sm text-slate-500">
        <span>{t("breadcrumb")}</span>
        <Link href="/admin/tickets" className="text-brand-600 hover:underline">
          {t("back")}
        </Link>
      </div>
      <h1 data-testid="ticket-title">{t("title")}</h1>
      <PresenceBar people={others.data ?? []} />
      <MutationError error={error} onReload={() => { setError(null); void refetch(); }} />
      {escalating && (
        <EscalateDialog
          ticketId={ticketId}
          busy={escalate.isPending}
          onClose={() => setEscalating(false)}
          onConfirm={(fileIds) => escalate.mutate({ ...ref, fileIds }, { onSettled: () => setEscalating(false) })}
        />
      )}
      <Card title={t("basic")}>
        <BasicInfo ticket={data} />
        <SlaBox sla={data.sla} />
        <ActionRow ticket={data} ops={ops} busy={busy} options={options} />
      </Card>
      <div className="grid gap-4 lg:grid-cols-[1fr_20rem]">
        <div className="space-y-4">
          <Card title={t("conversation")}>
            <Conversation
              messages={messages}
              olderAvailable={conversation.hasNextPage}
              loadingOlder={conversation.isFetchingNextPage}
              onLoadOlder={() => void conversation.fetchNextPage()}
            />
          </Card>
          <Composer
            controls={data.controls}
            busy={busy}
            messages={messages}
            lastPublicId={lastPublicId}
            onTyping={setTyping}
            onReply={(body, attachmentIds, done, seenMessageId, held) =>
              reply.mutate({ ...ref, body, attachmentIds, seenMessageId }, { onSuccess: done, onError: (e) => isHeldReply(e) && held() })
            }
            onNote={(body, attachmentIds, done) => note.mutate({ ...ref, body, attachmentIds }, { onSuccess: done })}
            onUploadError={(message) => setError({ conflict: false, message })}
          />
        </div>
        <AuditTrail events={data.events} />
      </div>
    </div>
  );
}
