import { createCaller } from "@/server/api/root";
import type { Db } from "@/server/db/client";
import { rateLimitsFor } from "@/server/rate-limits";
import { silentLiveBus } from "@/server/db/live-bus";
import { createLiveHub, type LiveHub } from "@/server/services/live-service";
import type { Viewer } from "@/server/viewer";

/** A tRPC caller acting as `viewer`: the same procedures, middleware and errors as over HTTP. */
/** Callers that do not listen share a hub on a bus that never speaks; live tests pass their own. */
const quietHubs = new WeakMap<Db, LiveHub>();
export function quietLiveHub(db: Db): LiveHub {
  let hub = quietHubs.get(db);
  if (!hub) quietHubs.set(db, (hub = createLiveHub(db, silentLiveBus)));
  return hub;
}

export function callerFor(db: Db, viewer: Viewer, locale: "zh-CN" | "en" = "zh-CN", clientAddress = "192.0.2.1", live: LiveHub = quietLiveHub(db)) {
  return createCaller({ db, viewer, locale, timeZone: "Asia/Shanghai", limits: rateLimitsFor(db), clientAddress, live });
}

export const asSuperAdmin = (db: Db) => callerFor(db, { kind: "staff", staffId: 1, name: "超级管理员", role: "SUPER_ADMIN" });
export const asStaff = (db: Db, staffId = 2, name = "客服小王") => callerFor(db, { kind: "staff", staffId, name, role: "STAFF" });
export const asMember = (db: Db, memberId = 1100001, name = "张三") => callerFor(db, { kind: "member", memberId, name });
export const asAnonymous = (db: Db, clientAddress?: string) => callerFor(db, { kind: "anonymous" }, "zh-CN", clientAddress);
