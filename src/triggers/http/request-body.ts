// Reads a request body up to a limit, stopping as soon as it is exceeded (no buffering of an
// oversized upload), and refuses one so that the client reads the 413 rather than a reset.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { HttpConnection } from './http-connection.js';
import type { Problem } from './problem-response.js';

export type BodyRead =
  | { readonly ok: true; readonly body: Uint8Array }
  /** `declaredBytes`: what the client announced (Content-Length or chunk sizes) when that is what exceeded the limit, else what was received. */
  | { readonly ok: false; readonly declaredBytes: number; readonly receivedBytes: number };

/**
 * A refused body is read and thrown away up to this much after the 413 is written, so that a
 * client still sending sees the answer instead of a connection reset (Node's http client and
 * undici both report the reset and drop the response). A client that announced more is cut off
 * at once: nobody waits for a body declared at FFFFFFFFFFFFFFFF bytes.
 */
export const maxDiscardedBodyBytes = 16 * 1024 * 1024;

const noBody = new Uint8Array(0);

export function readBodyLimited(request: IncomingMessage, maxBytes: number, connection?: HttpConnection): Promise<BodyRead> | BodyRead {
  const declared = request.headers['content-length'];
  const chunked = request.headers['transfer-encoding'] !== undefined;
  // Without a length or chunked framing a request has no body (RFC 9112 §6.3): answer without
  // waiting for the stream's events, which is most of the cost of a GET.
  if (declared === undefined && !chunked) return { ok: true, body: noBody };
  if (declared !== undefined && Number(declared) > maxBytes) return { ok: false, declaredBytes: Number(declared), receivedBytes: 0 };
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let total = 0;
    const refuse = (declaredBytes: number) => {
      stop();
      request.pause();
      resolve({ ok: false, declaredBytes, receivedBytes: total });
    };
    const onData = (chunk: Buffer) => {
      total += chunk.byteLength;
      if (total > maxBytes) refuse(total);
      else chunks.push(chunk);
    };
    const onEnd = () => {
      stop();
      resolve({ ok: true, body: chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, total) });
    };
    const onError = (err: Error) => {
      stop();
      reject(err);
    };
    const unwatch = chunked && connection ? connection.watchBody(request, maxBytes, refuse) : () => undefined;
    const stop = () => {
      unwatch();
      request.off('data', onData).off('end', onEnd).off('error', onError);
    };
    request.on('data', onData).on('end', onEnd).on('error', onError);
  });
}

/**
 * Answers a refused body with `answer` (a 413) and closes the connection once the client is done
 * sending, discarding what still comes, up to `maxDiscardedBodyBytes`.
 */
export function refuseBody(req: IncomingMessage, res: ServerResponse, read: Extract<BodyRead, { ok: false }>, answer: Problem): void {
  res.shouldKeepAlive = false;
  const headers: string[] = [];
  for (const [name, value] of answer.headers) headers.push(name, value);
  headers.push('content-length', String(Buffer.byteLength(answer.body)));
  res.writeHead(answer.status, headers);
  if (req.complete || read.declaredBytes - read.receivedBytes > maxDiscardedBodyBytes) {
    // Nothing more to read, or too much to wait for: the answer, then the connection closes.
    res.once('finish', () => req.socket.destroy());
    res.end(answer.body);
    return;
  }
  // Written whole (its content-length tells the client it is complete); ending it would make Node
  // close the socket with the upload still arriving, which the client sees as a reset.
  res.write(answer.body);
  let discarded = 0;
  const close = () => {
    req.off('data', onData);
    res.end();
  };
  const onData = (chunk: Buffer) => {
    discarded += chunk.byteLength;
    if (discarded > maxDiscardedBodyBytes) {
      close();
      req.socket.destroy();
    }
  };
  req.on('data', onData).once('end', close).once('error', close);
  req.resume();
}
