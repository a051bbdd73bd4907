/**
 * Limits of the tRPC door, shared by the server (which refuses more) and the browser client
 * (which never batches more), so a page never trips them.
 */
export const TRPC_MAX_BATCH = 16;
/** Largest request body: a 20 000-character reply in every call of a full batch fits. */
export const TRPC_MAX_BODY_BYTES = 2 * 1024 * 1024;
