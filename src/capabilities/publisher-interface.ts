// wasmlet:function/publisher for one instance: `send` checks the message and buffers it. Nothing
// reaches a queue from inside the guest: the host publishes the buffer after the invocation
// succeeded, in the same transaction as its outcome (see PublishedMessage below).
import { WasmletError } from '../errors/wasmlet-error.js';
import { parseMessages } from '../queue/queue-input.js';
import type { OutgoingMessage, QueuedMessage } from '../queue/queue-store.js';

/** One invocation fans out at most this many messages: a bigger fan-out belongs in a batch of its own. */
export const maxPublishedPerInvocation = 1_000;
/** And at most this many body bytes in total, so a guest cannot balloon the host's memory through the buffer. */
export const maxPublishedBytesPerInvocation = 16 * 1024 * 1024;

/**
 * A message the guest sent with the publisher import, held until the invocation's outcome is
 * committed. Already in the store's shape, so committing it needs no conversion; its id is fixed
 * at `send` (the guest has been told it).
 */
export interface PublishedMessage extends QueuedMessage {
  readonly message: OutgoingMessage & { readonly id: string };
}

/** The outgoing-message record as jco lifts it. */
interface OutgoingRecord {
  body: Uint8Array;
  attributes: [string, string][];
  delayMs: number;
}

/** How jco's glue turns a thrown value into `err(payload)` of a result-returning import. */
class SendRefused {
  constructor(readonly payload: string) {}
}

export function createPublisherInterface(allowedQueues: readonly string[], outbox: PublishedMessage[]) {
  let bytes = 0;
  return {
    'wasmlet:function/publisher': {
      send(queue: string, message: OutgoingRecord): string {
        if (!allowedQueues.includes(queue)) {
          const allowed = allowedQueues.length === 0 ? 'it lists none' : `it lists ${allowedQueues.join(', ')}`;
          throw new SendRefused(`queue "${queue}" is not in the manifest's publish list (${allowed})`);
        }
        if (outbox.length >= maxPublishedPerInvocation) throw new SendRefused(`at most ${maxPublishedPerInvocation} messages per invocation`);
        if (bytes + message.body.byteLength > maxPublishedBytesPerInvocation) {
          throw new SendRefused(`at most ${maxPublishedBytesPerInvocation} bytes of messages per invocation`);
        }
        const attributes: Record<string, string> = {};
        for (const [key, value] of message.attributes) {
          if (Object.hasOwn(attributes, key)) throw new SendRefused(`attribute "${key}" is given twice`);
          attributes[key] = value;
        }
        let parsed;
        try {
          // The body view points into guest memory that the next call may reuse: keep a copy.
          [parsed] = parseMessages([{ body: message.body.slice(), attributes, delayMs: message.delayMs }], Date.now());
        } catch (err) {
          if (err instanceof WasmletError) throw new SendRefused(err.message.replace(/^messages\[0\]\./, ''));
          throw err;
        }
        bytes += parsed!.body.byteLength;
        outbox.push({ queue, message: { id: parsed!.id, body: parsed!.body, attributes, delayMs: parsed!.delayMs } });
        return parsed!.id;
      },
    },
  };
}
