// Writing S3 responses: XML documents, empty answers with headers, and S3's XML errors (status only for HEAD).
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { S3Error } from './s3-errors.js';
import { escapeXml, xml10Text } from './s3-xml.js';

/** A refused upload is drained (so the client reads the error instead of a reset connection) up to this much, then cut off. */
export const maxDrainBytes = 64 * 1024 * 1024;

export function baseHeaders(requestId: string): Record<string, string> {
  return { 'x-amz-request-id': requestId, server: 'wasmlet' };
}

export function sendXml(res: ServerResponse, requestId: string, status: number, xml: string, headers: Record<string, string> = {}): void {
  const body = Buffer.from(xml, 'utf8');
  res.writeHead(status, { ...baseHeaders(requestId), 'content-type': 'application/xml', 'content-length': String(body.length), ...headers });
  res.end(body);
}

export function sendEmpty(res: ServerResponse, requestId: string, status: number, headers: Record<string, string> = {}): void {
  res.writeHead(status, { ...baseHeaders(requestId), 'content-length': '0', ...headers });
  res.end();
}

/**
 * S3's error document. A body the request still has unread is drained after the answer (bounded),
 * and the connection is not reused: a client that sent it without waiting for `100 Continue`
 * then reads the error rather than a reset.
 */
export function sendError(req: IncomingMessage, res: ServerResponse, requestId: string, err: S3Error, resource: string): void {
  if (res.headersSent) {
    res.destroy(err); // mid-body: only cutting the response short can tell the client
    return;
  }
  const unread = !req.complete;
  const headers = { ...err.headers, ...(unread ? { connection: 'close' } : {}) };
  if (unread) drain(req);
  if (req.method === 'HEAD') {
    res.writeHead(err.status, { ...baseHeaders(requestId), ...headers });
    res.end();
    return;
  }
  const text = (value: string) => escapeXml(xml10Text(value));
  const fields = Object.entries(err.fields).map(([name, value]) => `<${name}>${text(value)}</${name}>`).join('');
  const xml = `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${err.code}</Code><Message>${text(err.message)}</Message>${fields}<Resource>${text(resource)}</Resource><RequestId>${requestId}</RequestId></Error>`;
  sendXml(res, requestId, err.status, xml, headers);
}

function drain(req: IncomingMessage): void {
  let drained = 0;
  req.on('data', (chunk: Buffer) => {
    drained += chunk.length;
    if (drained > maxDrainBytes) req.socket.destroy();
  });
  req.on('error', () => undefined);
  req.resume();
}
