import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ConfigurationResult, LevelResult } from './bench-result.js';
import { connectionLevels } from './function-bench.js';
import { recommend } from './recommendation.js';

function level(connections: number, p50: number, rps: number, saturated = false): LevelResult {
  return {
    connections, requests: 100, seconds: 1, rps, saturated, interrupted: false,
    latencyMicros: { n: 100, min: p50, p50, p90: p50, p99: p50, max: p50, mean: p50 },
    histogram: { unit: 'µs', count: 0, min: 0, max: 0, sumMicros: 0, buckets: [] },
    statuses: { '200': 100 }, outcomes: { ok: 100 }, transportErrors: [], warmup: { requests: 2, seconds: 0 }, blocks: [],
    hostCpuMicrosPerRequest: null, hostRssBytes: null, loadGeneratorCpuShare: 0, othersCpuShare: 0,
  };
}

function config(label: string, p50: number, peakRps: number, settings: Partial<ConfigurationResult['settings']> = {}): ConfigurationResult {
  return {
    label, baseline: false, function: label, temporary: true, cold: null,
    settings: { memory_mb: 128, instance_reuse: 1, init_snapshot: false, ...settings },
    levels: [level(1, p50, 1e6 / p50), level(2, p50 * 1.5, peakRps, true)],
    peak: { connections: 2, rps: peakRps }, saturatedAt: 2,
  };
}

test('the faster configuration, with how much and what it costs in isolation', () => {
  const r = recommend([config('init_snapshot = false', 2900, 600), config('init_snapshot = true', 1000, 1500)], { key: 'init_snapshot', values: [false, true] });
  assert.equal(r?.configuration, 'init_snapshot = true');
  assert.match(r!.text, /^init_snapshot = true: p50 2\.90× lower, peak throughput 2\.50× higher, same isolation/);
  const reuse = recommend([config('instance_reuse = 1', 900, 1000), config('instance_reuse = 100', 300, 3000)], { key: 'instance_reuse', values: [1, 100] });
  assert.match(reuse!.text, /weaker isolation: one instance serves up to 100 calls/);
});

test('within 10% the baseline is kept', () => {
  const r = recommend([config('a', 1000, 1000), config('b', 950, 1050)], null);
  assert.equal(r?.configuration, 'a');
  assert.match(r!.text, /^keep a: no configuration was 10% faster/);
});

test('memory_mb: the least memory within 10% of the fastest', () => {
  const configs = [config('memory_mb = 64', 1050, 980, { memory_mb: 64 }), config('memory_mb = 128', 1000, 1000, { memory_mb: 128 }), config('memory_mb = 256', 1000, 1010, { memory_mb: 256 })];
  assert.match(recommend(configs, { key: 'memory_mb', values: [64, 128, 256] })!.text, /^memory_mb = 64: the least memory, within 10% of the fastest/);
  const slowSmall = [config('memory_mb = 64', 3000, 300, { memory_mb: 64 }), config('memory_mb = 256', 1000, 1000, { memory_mb: 256 })];
  assert.match(recommend(slowSmall, { key: 'memory_mb', values: [64, 256] })!.text, /^memory_mb = 256: less memory was over 10% slower/);
});

test('one configuration: where it saturates; nothing measured: no recommendation', () => {
  assert.match(recommend([config('hello', 1000, 2000)], null)!.text, /saturates at 2 connections; peak 2000 calls\/s at 2/);
  assert.equal(recommend([{ ...config('x', 1, 1), levels: [], peak: null }], null), null);
});

test('levels double up to the bound, which is always tried', () => {
  assert.deepEqual(connectionLevels(1), [1]);
  assert.deepEqual(connectionLevels(64), [1, 2, 4, 8, 16, 32, 64]);
  assert.deepEqual(connectionLevels(12), [1, 2, 4, 8, 12]);
});

test('a dip that a higher level grows out of is not the saturation point', async () => {
  const { saturationPoint } = await import('./function-bench.js');
  assert.equal(saturationPoint([level(1, 1, 100), level(2, 1, 90, true), level(4, 1, 200), level(8, 1, 205, true)]), 8);
  assert.equal(saturationPoint([level(1, 1, 100), level(2, 1, 105, true), level(4, 1, 108, true)]), 2);
  assert.equal(saturationPoint([level(1, 1, 100), level(2, 1, 190)]), null);
});

test('lower latency with less throughput is called mixed; a busy machine is said', () => {
  const r = recommend([config('a', 2000, 1000), config('b', 1000, 800)], null, true);
  assert.equal(r?.configuration, 'b');
  assert.match(r!.text, /^b: p50 2\.00× lower, peak throughput 1\.25× lower; but its peak throughput is lower: the two disagree \(a busy machine: see the warnings/);
});

test('a p50 within 10% is a tie that peak throughput decides, and is said to be the same', () => {
  const r = recommend([config('a', 1000, 1000), config('b', 960, 2200)], null);
  assert.equal(r?.configuration, 'b');
  assert.match(r!.text, /^b: the same p50 \(within 10%\), peak throughput 2\.20× higher$/);
});
