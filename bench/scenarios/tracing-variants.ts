// Scenario "observability"'s tracing variants: a host exporting every span (`otlpEndpoint`) to an
// OTLP/HTTP receiver in a process of its own (load/otlp-sink.ts), started around each run — with
// metrics off, beside the "metrics off" baseline, and with metrics on, the issue's "metrics and
// tracing on against both off". The receiver's count is printed after each run: spans per request
// show that every request was traced (and none dropped by the batch processor's queue).
import { startOtlpSink } from '../load/otlp-sink.js';
import { progress } from '../progress.js';
import type { ObservabilityVariant } from './observability.js';

function exportingTo(label: string): ObservabilityVariant['around'] {
  return async () => {
    const sink = await startOtlpSink();
    return {
      hostOptions: { otlpEndpoint: sink.url },
      async stop() {
        const report = await sink.stop();
        progress(`observability: ${label}: the receiver got ${report.spans} spans in ${report.exports} exports, its own CPU ${(report.cpuMicros / 1000).toFixed(0)} ms`);
      },
    };
  };
}

export const tracingVariants: readonly ObservabilityVariant[] = [
  { label: 'tracing on (exporting to a local receiver)', hostOptions: { metrics: false }, around: exportingTo('tracing on') },
  { label: 'metrics and tracing on', hostOptions: {}, around: exportingTo('metrics and tracing on') },
];
