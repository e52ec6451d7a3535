// One outbound HTTP exchange as the worker sees it: the HostLink's events accumulated until the
// guest reads them. Shared by wasi:http's outgoing-handler and wasmlet's outbound-http `send`.
import type { HeaderPair, HostEvent, OutboundErrorCode } from './host-link.js';
import { joinBytes } from './join-bytes.js';

export class OutboundExchange {
  head: { readonly status: number; readonly headers: readonly HeaderPair[] } | undefined;
  failure: { readonly code: OutboundErrorCode; readonly message: string } | undefined;
  readonly chunks: Uint8Array[] = [];
  ended = false;

  /** Bound, so it can be handed to `HostLink.start` as is. */
  readonly onEvent = (event: HostEvent): void => {
    switch (event.kind) {
      case 'head':
        this.head = { status: event.status, headers: event.headers };
        break;
      case 'chunk':
        this.chunks.push(event.bytes);
        break;
      case 'end':
        this.ended = true;
        break;
      case 'fail':
        this.failure = { code: event.code, message: event.message };
        break;
    }
  };

  get settled(): boolean {
    return this.ended || this.failure !== undefined;
  }

  /** Every chunk so far, joined (and forgotten). */
  takeBody(): Uint8Array {
    const body = joinBytes(this.chunks);
    this.chunks.length = 0;
    return body;
  }
}
