/**
 * Bounds of a live stream, shared by the server and the browser client. A stream ends after
 * LIVE_MAX_STREAM_MS (the browser reconnects at once and resumes from its last event id), the
 * server pings every LIVE_PING_MS, and a client that hears nothing for three pings reconnects.
 */
export const LIVE_MAX_STREAM_MS = 5 * 60_000;
export const LIVE_PING_MS = 15_000;

/**
 * The rule a refused stale reply names (CONFLICT): public messages came after the last one its
 * writer saw. Pages tell it from a moved version by this name.
 */
export const STALE_REPLY_RULE = "unseen-messages";

/** How long a heartbeat keeps someone "on" a ticket page; the page beats at a third of it. */
export const PRESENCE_TTL_MS = 30_000;
export const PRESENCE_BEAT_MS = PRESENCE_TTL_MS / 3;
