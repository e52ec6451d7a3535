// The worker side of the outbound HTTP capability: wasmlet:function/outbound-http `send` (blocks
// the guest until the whole response is in, without holding a CPU worker) and wasi:http's
// outgoing-handler. Every check (grant, resolved address, limits) happens on the main thread.
import type { HeaderPair, HostLink, OutboundErrorCode } from '../host-link.js';
import { OutboundExchange } from '../outbound-exchange.js';
import { createOutgoingHandler } from '../wasi-http/outgoing.js';

/** The request record as jco lifts it. */
interface SendRequest {
  method: string;
  url: string;
  headers: [string, string][];
  body: Uint8Array;
}

/** `err(http-error)` for jco's glue: a thrown value with a `payload` becomes the error. */
class SendFailed {
  readonly payload: { code: OutboundErrorCode; message: string };
  constructor(code: OutboundErrorCode, message: string) {
    this.payload = { code, message };
  }
}

export function createOutboundImports(link: HostLink) {
  return {
    'wasmlet:function/outbound-http': {
      send(request: SendRequest): { status: number; headers: HeaderPair[]; body: Uint8Array } {
        const exchange = new OutboundExchange();
        link.start({ kind: 'outbound-http', request: { ...request, body: request.body }, followRedirects: true }, exchange.onEvent);
        while (!exchange.settled) link.wait();
        if (exchange.failure) throw new SendFailed(exchange.failure.code, exchange.failure.message);
        const head = exchange.head;
        if (!head) throw new SendFailed('protocol-error', 'the response ended before its head (host bug)');
        return { status: head.status, headers: [...head.headers], body: exchange.takeBody() };
      },
    },
    'wasi:http/outgoing-handler': createOutgoingHandler(link),
  };
}
