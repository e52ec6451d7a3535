// Calls a standard `wasi:http/incoming-handler` export: the request becomes an `incoming-request`
// resource, the guest answers through a `response-outparam`, and what it set is classified like
// any other HTTP outcome. Streaming, the head and body have already gone to the main thread.
import type { HostLink } from '../capabilities/host-link.js';
import { IncomingRequest, ResponseCollector, ResponseOutparam } from '../capabilities/wasi-http/incoming.js';
import type { GuestCall } from './guest-call.js';
import type { Outcome } from './outcome.js';

/** The guest's `handle`, as the glue exports it or as the direct path calls it (runtime/direct-handlers.ts). */
export type IncomingHandle = (request: IncomingRequest, responseOut: ResponseOutparam) => void;

export function callIncomingHandler(handle: IncomingHandle, call: Extract<GuestCall, { kind: 'http' }>, link: HostLink, maxResponseBytes: number): Outcome {
  const collector = new ResponseCollector(link, call.streamResponse === true, maxResponseBytes);
  link.beforeWait(() => collector.flush());
  try {
    handle(new IncomingRequest(call.request), new ResponseOutparam(collector));
  } finally {
    link.beforeWait(undefined);
  }
  const response = collector.result();
  switch (response.kind) {
    case 'ok':
      return { kind: 'ok', response: { status: response.status, headers: response.headers, body: response.body }, streamed: response.streamed };
    case 'missing':
      return { kind: 'response_invalid', message: 'the guest returned without setting a response (wasi:http response-outparam.set was never called)' };
    case 'error-code':
      return { kind: 'guest_error', message: `the guest set error-code ${response.code.tag} as its response` };
    case 'incomplete':
      return { kind: 'response_invalid', message: 'the guest dropped the response body without outgoing-body.finish', streamed: response.streamed };
    case 'too-large':
      return { kind: 'response_too_large', message: `response body exceeds the limit of ${response.limitBytes} bytes`, streamed: response.streamed };
  }
}
