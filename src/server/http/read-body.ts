/**
 * The request body, or null once it is longer than `max`: a declared oversize is refused before
 * reading, a streamed one as soon as it crosses the limit (the rest is never read). Both protocol
 * directions (partner requests, upstream callbacks) read their bodies through this.
 */
export async function readBodyWithin(request: Pick<Request, "headers" | "body">, max: number): Promise<Uint8Array | null> {
  const declared = Number(request.headers.get("content-length") ?? "");
  if (Number.isFinite(declared) && declared > max) return null;
  if (!request.body) return new Uint8Array();
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > max) {
      await reader.cancel().catch(() => undefined);
      return null;
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks);
}
