// A served host's own counters, read from its /metrics: which host did the work, in tests that run
// several. A counter lives in the process, so it starts again at 0 when the host is restarted.
import assert from 'node:assert/strict';
import { adminRequest, type ServingHost } from './cli-process.js';
import { parsePrometheusText } from './prometheus-text.js';

/** Invocations of `fn` by `trigger` (http, queue, schedule, …) this host process has finished, any outcome. */
export async function invocationsOf(host: ServingHost, fn: string, trigger: string): Promise<number> {
  const metrics = await adminRequest(host, '/metrics');
  assert.equal(metrics.status, 200, metrics.text);
  const family = parsePrometheusText(metrics.text).get('wasmlet_invocations_total');
  return (family?.samples ?? [])
    .filter((s) => s.labels.function === fn && s.labels.trigger === trigger)
    .reduce((sum, s) => sum + s.value, 0);
}
