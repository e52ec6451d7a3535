// A running call's traffic with the main thread besides its result (worker-pool.ts): its guest's host
// requests (outbound HTTP, key-value, objects) go to the host's handler, each event back to its thread
// (waking a guest blocked on it), a request the guest drops is cancelled; and a wasi:http response
// goes on to the caller's stream as the guest writes it.
import { isFinalEvent, type HostEvent, type HostRequest, type HostRequestHandler, type ResponseStreamMessage } from '../capabilities/host-link.js';
import type { Pending, Slot } from './pool-slot.js';

export class HostRequestRelay {
  readonly #handler: HostRequestHandler | undefined;
  /** The pool queues a blocked guest to resume (an event came for it). */
  readonly #queueResume: (slot: Slot) => void;

  constructor(handler: HostRequestHandler | undefined, queueResume: (slot: Slot) => void) {
    this.#handler = handler;
    this.#queueResume = queueResume;
  }

  /** The guest on `slot` asks the host for something (outbound HTTP, key-value, objects). */
  start(slot: Slot, id: number, request: HostRequest): void {
    const pending = slot.running;
    if (!pending) return;
    const emit = (event: HostEvent): void => this.#sendEvent(slot, pending, id, event);
    const handler = this.#handler;
    if (!handler) {
      emit({ kind: 'fail', code: 'denied', message: 'this host serves no outbound requests' });
      return;
    }
    // Registered before it starts: a request refused at once reports from inside `start`.
    let cancel: (() => void) | undefined;
    pending.requests.set(id, () => cancel?.());
    cancel = handler.start(pending.scope, request, emit);
  }

  /** The guest dropped request `id` (worker-protocol.ts `host-cancel`). */
  cancel(slot: Slot, id: number): void {
    const cancel = slot.running?.requests.get(id);
    slot.running?.requests.delete(id);
    cancel?.();
  }

  /** A wasi:http guest wrote its response's head or a body chunk: on to the caller's stream. */
  response(slot: Slot, message: ResponseStreamMessage): void {
    const running = slot.running;
    const stream = running?.stream;
    if (!running || !stream) return;
    if (message.kind === 'response-head') stream.head(message.status, message.headers);
    else {
      running.responseBytes += message.bytes.byteLength;
      stream.chunk(message.bytes);
    }
  }

  #sendEvent(slot: Slot, pending: Pending, id: number, event: HostEvent): void {
    if (slot.running !== pending || !pending.requests.has(id)) return; // over, or cancelled
    if (isFinalEvent(event)) pending.requests.delete(id);
    slot.thread.sendEvent({ id, event });
    slot.eventsSent++;
    if (slot.state === 'blocked') this.#queueResume(slot);
  }
}
