// Reads a request body up to a limit, stopping as soon as it is exceeded (no buffering of an oversized upload).
import type { IncomingMessage } from 'node:http';

export type BodyRead = { readonly ok: true; readonly body: Uint8Array } | { readonly ok: false; readonly receivedBytes: number };

const noBody = new Uint8Array(0);

export function readBodyLimited(request: IncomingMessage, maxBytes: number): Promise<BodyRead> | BodyRead {
  const declared = request.headers['content-length'];
  // Without a length or chunked framing a request has no body (RFC 9112 §6.3): answer without
  // waiting for the stream's events, which is most of the cost of a GET.
  if (declared === undefined && request.headers['transfer-encoding'] === undefined) return { ok: true, body: noBody };
  if (declared !== undefined && Number(declared) > maxBytes) return { ok: false, receivedBytes: Number(declared) };
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let total = 0;
    const onData = (chunk: Buffer) => {
      total += chunk.byteLength;
      if (total > maxBytes) {
        request.off('data', onData);
        request.pause();
        resolve({ ok: false, receivedBytes: total });
        return;
      }
      chunks.push(chunk);
    };
    request.on('data', onData);
    request.once('end', () => resolve({ ok: true, body: chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, total) }));
    request.once('error', reject);
  });
}
