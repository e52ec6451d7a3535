import assert from 'node:assert/strict';
import { test } from 'node:test';
import { metricValue } from './host-usage.js';

test("reads prom-client's unlabelled process samples, not a longer name or a comment", () => {
  const text = [
    '# HELP process_cpu_seconds_total Total user and system CPU time spent in seconds.',
    '# TYPE process_cpu_seconds_total counter',
    'process_cpu_seconds_total_other 99',
    'process_cpu_seconds_total 12.5',
    'process_resident_memory_bytes 104857600 1700000000000',
  ].join('\n');
  assert.equal(metricValue(text, 'process_cpu_seconds_total'), 12.5);
  assert.equal(metricValue(text, 'process_resident_memory_bytes'), 104857600);
  assert.equal(metricValue(text, 'process_heap_bytes'), undefined);
});
