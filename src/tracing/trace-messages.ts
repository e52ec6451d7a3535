// Consumer spans: one `process <queue>` span per delivered message, continuing the trace its
// attributes carry (`traceparent`, written when it was published: trace-context.ts). A batch is
// one guest call: it runs under its first message's span and links the others', so every
// message's own trace still shows that it was processed, and when.
import { SpanKind, SpanStatusCode, trace, type Context, type Link, type Span, type Tracer } from '@opentelemetry/api';
import { contextFromAttributes } from './trace-context.js';

/** A delivered message as the spans need it (queue/queue-store.ts's LeasedMessage). */
export interface DeliveredMessage {
  readonly id: string;
  readonly attributes: Readonly<Record<string, string>>;
  readonly attempt: number;
}

/** The span of one delivered message, and the context what it runs continues. */
export class MessageTrace {
  readonly #span: Span;
  readonly context: Context;

  constructor(tracer: Tracer, queue: string, message: DeliveredMessage, attributes: Record<string, string | number> = {}) {
    const parent = contextFromAttributes(message.attributes);
    this.#span = tracer.startSpan(
      `process ${queue}`,
      {
        kind: SpanKind.CONSUMER,
        attributes: {
          'messaging.system': 'wasmlet',
          'messaging.operation.type': 'process',
          'messaging.destination.name': queue,
          'messaging.message.id': message.id,
          'wasmlet.attempt': message.attempt,
          ...attributes,
        },
      },
      parent,
    );
    this.context = trace.setSpan(parent, this.#span);
  }

  /** `result`: what became of the message (ok, retry, fail, error…); a failure marks the span. */
  end(result: string, error?: string): void {
    this.#span.setAttribute('wasmlet.result', result);
    if (error !== undefined) this.#span.setStatus({ code: SpanStatusCode.ERROR, message: error });
    this.#span.end();
  }
}

/** The spans of a leased batch, by message. */
export class BatchTrace<M extends DeliveredMessage> {
  readonly #byMessage = new Map<M, MessageTrace>();

  constructor(tracer: Tracer, queue: string, messages: readonly M[]) {
    for (const message of messages) this.#byMessage.set(message, new MessageTrace(tracer, queue, message));
  }

  /**
   * The parent of a guest call over `messages` (a batch, or a part of one after a split): the first
   * message's span; the others are linked.
   */
  parentOf(messages: readonly M[]): { readonly parent: Context; readonly links: Link[] } | undefined {
    const [first, ...rest] = messages.map((m) => this.#byMessage.get(m));
    if (!first) return undefined;
    const links: Link[] = [];
    for (const other of rest) {
      const span = other && trace.getSpanContext(other.context);
      if (span) links.push({ context: span });
    }
    return { parent: first.context, links };
  }

  end(message: M, result: string, error?: string): void {
    this.#byMessage.get(message)?.end(result, error);
  }
}
