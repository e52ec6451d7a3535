// The trace id of the active span, for log lines (guest lines in logs/log-store.ts, the host's
// JSON log): read through the OpenTelemetry API, so it is whatever span the tracing code made
// active with `context.with` (tracing/tracing*.ts); undefined when tracing is off or no span is
// active. Costs a context lookup, no allocation, when nothing is traced.
import { trace } from '@opentelemetry/api';

export function activeTraceId(): string | undefined {
  const span = trace.getActiveSpan();
  if (!span) return undefined;
  const { traceId } = span.spanContext();
  // The API's invalid span context (all zeros) is not a trace.
  return traceId === '00000000000000000000000000000000' ? undefined : traceId;
}
