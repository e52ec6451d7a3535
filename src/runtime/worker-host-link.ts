// The worker side of HostLink (capabilities/host-link.ts): requests go to the main thread on the
// worker's port; the main thread's events come back on a dedicated port, read synchronously with
// `receiveMessageOnPort` while the guest's call is still on the stack. To wait, the worker tells
// the main thread it is blocked and sleeps on a shared cell; the main thread wakes it (bumps the
// cell) only when it may compute again, so a waiting guest never holds a compute slot.
import { receiveMessageOnPort, type MessagePort } from 'node:worker_threads';
import { isFinalEvent, WaitForeverError, type HostEvent, type HostLink, type HostRequest, type ResponseStreamMessage } from '../capabilities/host-link.js';
import type { EventMessage, FromWorker } from './worker-protocol.js';

export class WorkerHostLink implements HostLink {
  readonly #toMain: MessagePort;
  readonly #events: MessagePort;
  readonly #wake: Int32Array;
  readonly #handlers = new Map<number, (event: HostEvent) => void>();
  #nextId = 1;
  /** Events read so far: the main thread compares it with what it sent to spot a race with `blocked`. */
  #delivered = 0;
  #active = false;
  #beforeWait: (() => void) | undefined;

  constructor(toMain: MessagePort, events: MessagePort, wake: Int32Array) {
    this.#toMain = toMain;
    this.#events = events;
    this.#wake = wake;
  }

  /** An invocation starts: its imports may ask for things. */
  begin(): void {
    this.#active = true;
  }

  /** The invocation is over: whatever it left under way is cancelled, late events dropped. */
  end(): void {
    this.#active = false;
    this.#beforeWait = undefined;
    for (const id of this.#handlers.keys()) this.#post({ type: 'host-cancel', id });
    this.#handlers.clear();
    this.#drain();
  }

  start(request: HostRequest, onEvent: (event: HostEvent) => void): number {
    if (!this.#active) {
      onEvent({ kind: 'fail', code: 'denied', message: 'requests are only possible during an invocation, not while an instance initialises' });
      return 0;
    }
    const id = this.#nextId++;
    this.#handlers.set(id, onEvent);
    this.#post({ type: 'host-request', id, request });
    return id;
  }

  cancel(id: number): void {
    if (this.#handlers.delete(id)) this.#post({ type: 'host-cancel', id });
  }

  beforeWait(hook: (() => void) | undefined): void {
    this.#beforeWait = hook;
  }

  wait(untilNs?: bigint): void {
    this.#beforeWait?.();
    if (this.#drain() > 0) return;
    if (untilNs === undefined && this.#handlers.size === 0) throw new WaitForeverError('poll would block forever: nothing under way can make it ready');
    const seen = Atomics.load(this.#wake, 0);
    if (this.#drain() > 0) return;
    const wakeInMs = untilNs === undefined ? undefined : Math.max(0, Number(untilNs - process.hrtime.bigint()) / 1e6);
    this.#post({ type: 'blocked', delivered: this.#delivered, wakeInMs });
    // Only the main thread changes the cell, and only to let this thread compute again.
    Atomics.wait(this.#wake, 0, seen);
    this.#drain();
  }

  emit(message: ResponseStreamMessage): void {
    const bytes = message.kind === 'response-chunk' ? message.bytes : undefined;
    this.#post({ type: 'response', message }, bytes && bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength ? [bytes.buffer as ArrayBuffer] : []);
  }

  #post(message: FromWorker, transfer: ArrayBuffer[] = []): void {
    this.#toMain.postMessage(message, transfer);
  }

  /** Hands every event already sent to its request's handler; returns how many there were. */
  #drain(): number {
    let count = 0;
    for (;;) {
      const received = receiveMessageOnPort(this.#events);
      if (!received) return count;
      count++;
      this.#delivered++;
      const { id, event } = received.message as EventMessage;
      const handler = this.#handlers.get(id);
      if (!handler) continue;
      if (isFinalEvent(event)) this.#handlers.delete(id);
      handler(event);
    }
  }
}
