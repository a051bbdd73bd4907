import { buildQueueSql, buildOnePassCountsSql, buildCappedCountsSql } from "./src/server/db/repos/queue.ts";
import { ZQueueInput, resolveQueueFilter } from "./src/server/services/queue-service.ts";
const input = ZQueueInput.parse(JSON.parse(process.argv[2]!));
const f = await resolveQueueFilter(null as never, { kind: "staff", staffId: 3, name: "x", role: "STAFF" }, input, "Asia/Shanghai");
const which = process.argv[3] ?? "list";
const sql = which === "list" ? buildQueueSql(f, input.sort, null, 51) : which === "one" ? buildOnePassCountsSql({ ...f, statuses: null }) : buildCappedCountsSql({ ...f, statuses: null });
let text = sql.text;
sql.values.forEach((v, i) => { text = text.replace(new RegExp(`\\$${i + 1}(?!\\d)`, "g"), v instanceof Date ? `'${v.toISOString()}'` : typeof v === "string" ? `'${v.replace(/'/g, "''")}'` : String(v)); });
console.log(text);
