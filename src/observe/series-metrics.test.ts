import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Counter, Histogram, Registry } from 'prom-client';
import { SeriesCounter, SeriesHistogram } from './series-metrics.js';

const buckets = [0.001, 0.01, 0.1, 1];
const observations: Array<[string, number]> = [['a', 0.0005], ['a', 0.001], ['a', 0.05], ['b', 3], ['a', 0.2], ['b', 0.01]];

test('a SeriesHistogram renders exactly as prom-client\'s Histogram given the same observations', async () => {
  const theirs = new Registry();
  const ours = new Registry();
  const reference = new Histogram({ name: 'x_seconds', help: 'Some "help"\nwith a newline.', labelNames: ['function'], buckets, registers: [theirs] });
  const candidate = new SeriesHistogram(ours, { name: 'x_seconds', help: 'Some "help"\nwith a newline.', labelNames: ['function'], buckets });
  for (const [fn, value] of observations) {
    reference.labels(fn).observe(value);
    candidate.labels(fn).observe(value);
  }
  assert.equal(await ours.metrics(), await theirs.metrics());
});

test('a SeriesCounter renders exactly as prom-client\'s Counter; removeWhere drops a label value\'s series', async () => {
  const theirs = new Registry();
  const ours = new Registry();
  const reference = new Counter({ name: 'calls_total', help: 'Calls.', labelNames: ['function', 'outcome'], registers: [theirs] });
  const candidate = new SeriesCounter(ours, { name: 'calls_total', help: 'Calls.', labelNames: ['function', 'outcome'] });
  for (const [fn, value] of observations) {
    reference.labels(fn, value > 0.01 ? 'slow' : 'fast').inc();
    candidate.labels(fn, value > 0.01 ? 'slow' : 'fast').inc();
  }
  assert.equal(await ours.metrics(), await theirs.metrics());
  candidate.removeWhere('function', 'a');
  reference.remove('a', 'slow');
  reference.remove('a', 'fast');
  assert.equal(await ours.metrics(), await theirs.metrics());
});

test('a value that is not finite is ignored rather than thrown; a wrong label count is refused', () => {
  const histogram = new SeriesHistogram(new Registry(), { name: 'y_seconds', help: 'y', labelNames: ['function'], buckets });
  const series = histogram.labels('a');
  series.observe(Number.NaN);
  series.observe(Infinity);
  assert.equal(series.count, 0);
  assert.throws(() => histogram.labels('a', 'b'), RangeError);
});
