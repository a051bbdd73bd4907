import { getServerCaller } from "@/trpc/server";
import { requireStaffPage } from "@/server/page-guards";
import { countFilterOf, parseQueueParams } from "@/components/console/queue-params";
import { QueueView } from "./queue-view";

/** 工单管理: the first page, its counts and the filter options come with the HTML. */
export default async function QueuePage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const viewer = await requireStaffPage();
  const state = parseQueueParams(await searchParams);
  const caller = await getServerCaller();
  const [page, counts, options] = await Promise.all([
    caller.console.queue({ ...state.filter, sort: state.sort }),
    caller.console.counts(countFilterOf(state.filter)),
    caller.console.options(),
  ]);
  return <QueueView state={state} initial={{ page, counts }} options={options} viewerId={viewer.staffId} />;
}
