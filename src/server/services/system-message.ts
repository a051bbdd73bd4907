import type { Tx } from "../db/client.ts";
import { insertMessage } from "../db/repos/tickets.ts";
import { SYSTEM_MESSAGES, type SystemMessageCode } from "../domain/system-messages.ts";
import { translate } from "@/i18n/messages";
import { DEFAULT_TIME_ZONE, formatDateTime } from "@/lib/datetime";

/**
 * Writes an R6 system message. `body` keeps the zh-CN text rendered in China's time zone (what an
 * export or a plain reader shows); viewers re-render it from code + params in their own language.
 */
export function writeSystemMessage(
  tx: Tx,
  ticketId: number,
  code: SystemMessageCode,
  params: Record<string, string | number> = {},
  at: Date = new Date(),
) {
  const withTime = { time: at.toISOString(), ...params };
  const zhParams = { ...withTime, time: formatDateTime(at, DEFAULT_TIME_ZONE) };
  return insertMessage(tx, {
    ticketId,
    authorKind: "SYSTEM",
    visibility: SYSTEM_MESSAGES[code],
    body: translate("zh-CN", `tickets.system.${code}`, zhParams),
    systemCode: code,
    systemParams: withTime,
    createdAt: at,
  });
}
