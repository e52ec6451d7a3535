// A request refused before it reached the trigger: Node's parser found it malformed, or the client
// was too slow (the header or request timeout). Answered like every trigger failure, as
// problem+json (Node's own answer is a bare status line), and the connection closed.
import { randomUUID } from 'node:crypto';
import { STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';
import type { ErrorCode } from '../../errors/error-catalog.js';
import { problem } from './problem-response.js';

/** What Node hands the `clientError` event: a parser error (`HPE_*`, with the parser's reason) or a timeout. */
export interface ClientError extends Error {
  readonly code?: string;
  readonly reason?: string;
}

/** `responding`: a response to an earlier request is half written, so no answer can be added, only a close. */
export function answerClientError(err: ClientError, socket: Duplex, responding: boolean): void {
  if (err.code === 'ECONNRESET' || !socket.writable || responding) {
    socket.destroy();
    return;
  }
  const { code, detail } = describeClientError(err);
  const answer = problem(code, detail, { requestId: randomUUID() });
  const head = [`HTTP/1.1 ${answer.status} ${STATUS_CODES[answer.status]}`];
  for (const [name, value] of answer.headers) head.push(`${name}: ${value}`);
  head.push(`content-length: ${Buffer.byteLength(answer.body)}`, 'connection: close');
  socket.end(`${head.join('\r\n')}\r\n\r\n${answer.body}`, () => socket.destroy());
}

function describeClientError(err: ClientError): { readonly code: ErrorCode; readonly detail: string } {
  const reason = err.reason ?? err.message;
  switch (err.code) {
    case 'ERR_HTTP_REQUEST_TIMEOUT':
      return { code: 'request_timeout', detail: "the request did not arrive within the host's header or request timeout" };
    case 'HPE_HEADER_OVERFLOW':
      return { code: 'headers_too_large', detail: "the request line and headers exceed the host's limit" };
    case 'HPE_INVALID_URL':
      return { code: 'path_ambiguous', detail: `the request target is not a valid path: ${reason}` };
    default:
      return { code: 'request_malformed', detail: reason };
  }
}
