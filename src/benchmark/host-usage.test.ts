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

test('GET /metrics: a 200 with both samples is the source (token sent); anything else is "not available"', async () => {
  const { createServer } = await import('node:http');
  const { adminMetricsUsage } = await import('./host-usage.js');
  let cpuSeconds = 1.5;
  const seen: (string | undefined)[] = [];
  const server = createServer((req, res) => {
    seen.push(req.headers.authorization);
    if (req.url !== '/metrics' || req.headers.authorization !== 'Bearer t0ken') return void res.writeHead(404).end();
    res.end(`process_cpu_seconds_total ${cpuSeconds}\nprocess_resident_memory_bytes 2048\n`);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  try {
    const source = await adminMetricsUsage(url, 't0ken');
    assert.equal(source.kind, 'admin /metrics');
    cpuSeconds = 2;
    assert.deepEqual(await source.read(), { cpuMicros: 2_000_000, rssBytes: 2048 });
    assert.equal((await adminMetricsUsage(url, 'wrong')).kind, 'not available');
    assert.equal((await adminMetricsUsage('http://127.0.0.1:1', undefined)).kind, 'not available');
    assert.ok(seen.includes('Bearer t0ken'));
  } finally {
    server.close();
  }
});
