// W3C Trace Context (https://www.w3.org/TR/trace-context/): `traceparent` and `tracestate` read from
// incoming requests and queue messages, and written to upstream requests and published messages.
// Our own code rather than the SDK's propagator: lower layers may use only the API package, and
// the API's global propagator is a no-op unless something registers one process-wide.
import { context, createTraceState, ROOT_CONTEXT, trace, type Context, type SpanContext } from '@opentelemetry/api';

export const traceparentName = 'traceparent';
export const tracestateName = 'tracestate';

/** `version-traceid-parentid-flags`, lower-case hex (§3.2.2); a later version may append `-…` fields. */
const traceparentPattern = /^([0-9a-f]{2})-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})(-.*)?$/;
const zeroTraceId = '0'.repeat(32);
const zeroSpanId = '0'.repeat(16);
/**
 * A tracestate longer than this is not propagated at all: the spec asks vendors to pass on at least
 * 512 characters (§3.3.1.5), and it rides in message attributes, which are routing metadata.
 */
export const maxTracestateChars = 512;

/**
 * The remote parent a `traceparent` (and its `tracestate`) names, or undefined when it is absent
 * or invalid — then the receiver starts a new trace (§4.3). Version `ff` is invalid; version 00
 * allows nothing after the flags; a later version is read by its first four fields.
 */
export function parseTraceparent(traceparent: string | undefined, tracestate?: string): SpanContext | undefined {
  if (traceparent === undefined || traceparent.length > 512) return undefined;
  const match = traceparentPattern.exec(traceparent.trim());
  if (!match) return undefined;
  const [, version, traceId, spanId, flags, rest] = match as unknown as [string, string, string, string, string, string | undefined];
  if (version === 'ff' || (version === '00' && rest !== undefined)) return undefined;
  if (traceId === zeroTraceId || spanId === zeroSpanId) return undefined;
  const state = tracestate !== undefined && tracestate.length > 0 && tracestate.length <= maxTracestateChars ? createTraceState(tracestate) : undefined;
  return {
    traceId,
    spanId,
    // Only the sampled bit is defined (§3.2.2.5); the others are not ours to pass on.
    traceFlags: Number.parseInt(flags, 16) & 1,
    isRemote: true,
    ...(state ? { traceState: state } : {}),
  };
}

/** The context to start a span under: the remote parent, or the root (a new trace). */
export function contextOf(parent: SpanContext | undefined): Context {
  return parent ? trace.setSpanContext(ROOT_CONTEXT, parent) : ROOT_CONTEXT;
}

/** A span as a `traceparent` value (version 00). */
export function formatTraceparent(span: SpanContext): string {
  return `00-${span.traceId}-${span.spanId}-${span.traceFlags & 1 ? '01' : '00'}`;
}

/** The headers (or attributes) that carry `span` to the next hop: `traceparent`, and `tracestate` when there is one. */
export function traceFieldsOf(span: SpanContext): Array<[string, string]> {
  const fields: Array<[string, string]> = [[traceparentName, formatTraceparent(span)]];
  const state = span.traceState?.serialize();
  if (state) fields.push([tracestateName, state]);
  return fields;
}

/** The parent a queue message's attributes carry (see `withTraceAttributes`), or the root. */
export function contextFromAttributes(attributes: Readonly<Record<string, string>>): Context {
  return contextOf(parseTraceparent(attributes[traceparentName], attributes[tracestateName]));
}

/**
 * A message's attributes with `span`'s context added, so its consumer continues the trace. A
 * `traceparent` the publisher set itself is kept (its own tracing wins), and a message already at
 * `maxAttributes` is left as it is: tracing never makes a send fail.
 */
export function withTraceAttributes(
  attributes: Readonly<Record<string, string>> | undefined,
  span: SpanContext,
  maxAttributes: number,
): Readonly<Record<string, string>> | undefined {
  if (attributes && Object.hasOwn(attributes, traceparentName)) return attributes;
  const fields = traceFieldsOf(span);
  const count = attributes ? Object.keys(attributes).length : 0;
  if (count + fields.length > maxAttributes) return attributes;
  return { ...attributes, ...Object.fromEntries(fields) };
}

/**
 * Runs `fn` with `parent` as the active context (when traced), so the log lines it writes carry the
 * trace id (tracing/active-trace-id.ts reads the active span). Synchronous: nothing crosses an await.
 */
export function withActiveTrace<T>(parent: Context | undefined, fn: () => T): T {
  return parent ? context.with(parent, fn) : fn();
}
