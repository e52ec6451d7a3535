// Reads a WHATWG request body (the admin API, on hono) up to a limit, stopping as soon as it is exceeded
// (no buffering of an oversized upload). The HTTP trigger reads node streams: triggers/http/request-body.ts.

export type BodyRead = { readonly ok: true; readonly body: Uint8Array } | { readonly ok: false; readonly receivedBytes: number };

export async function readBodyLimited(request: Request, maxBytes: number): Promise<BodyRead> {
  const declared = Number(request.headers.get('content-length') ?? NaN);
  if (Number.isFinite(declared) && declared > maxBytes) return { ok: false, receivedBytes: declared };
  if (!request.body) return { ok: true, body: new Uint8Array(0) };
  const chunks: Uint8Array[] = [];
  let total = 0;
  const reader = request.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      await reader.cancel().catch(() => undefined);
      return { ok: false, receivedBytes: total };
    }
    chunks.push(value);
  }
  if (chunks.length === 1) return { ok: true, body: chunks[0]! };
  const body = new Uint8Array(total);
  let at = 0;
  for (const chunk of chunks) {
    body.set(chunk, at);
    at += chunk.byteLength;
  }
  return { ok: true, body };
}
