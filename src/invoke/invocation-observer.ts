// What the invoker tells whoever watches invocations (metrics, the console's history): one record
// per finished invocation. An interface here, so invoke/ never imports a metrics library; the
// implementation is built by host/start-host.ts (observe/host-metrics.ts).
import type { GuestCall } from '../runtime/guest-call.js';
import type { InvocationResult } from '../runtime/outcome.js';
import { internalQueuePrefix } from '../queue/queue-names.js';

/** What started an invocation: a bounded label. */
export type InvocationTrigger = 'http' | 'direct' | 'async' | 'queue' | 'schedule' | 'object-event';

export interface InvocationRecord {
  readonly functionName: string;
  readonly trigger: InvocationTrigger;
  readonly result: InvocationResult;
  /** From the invoker's start (code lookup included) to the result. */
  readonly totalMs: number;
}

export interface InvocationObserver {
  /** Called on the request path: keep it to counter increments (no I/O, no allocation per label). */
  invoked(record: InvocationRecord): void;
}

const objectEventQueuePrefix = `${internalQueuePrefix}objects.`;

/** The trigger a call implies when its caller did not name one (queue-names.ts names the host's own queues). */
export function triggerOfCall(call: GuestCall): InvocationTrigger {
  if (call.kind === 'schedule') return 'schedule';
  if (call.kind === 'queue') return call.queue.startsWith(objectEventQueuePrefix) ? 'object-event' : 'queue';
  return 'http';
}
