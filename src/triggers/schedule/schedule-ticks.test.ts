import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ScheduleSpec } from '../../manifest/manifest.js';
import { catchUpWindowMs, dueTicks, maxCatchUpTicks, nextTick } from './schedule-ticks.js';

const backoff = { initialMs: 1_000, maxMs: 1_000, multiplier: 2 };
const every5min: ScheduleSpec = { name: 'c', cron: '*/5 * * * *', rateMs: undefined, maxAttempts: 3, backoff };
const every30s: ScheduleSpec = { name: 'r', cron: undefined, rateMs: 30_000, maxAttempts: 3, backoff };
const at = (iso: string) => Date.parse(iso);

test('cron ticks are evaluated in UTC', () => {
  assert.equal(nextTick(every5min, at('2026-11-27T10:02:13Z')), at('2026-11-27T10:05:00Z'));
  assert.equal(nextTick(every5min, at('2026-11-27T10:05:00Z')), at('2026-11-27T10:10:00Z'), 'strictly after');
});

test('rates tick on multiples of the rate since the epoch', () => {
  assert.equal(nextTick(every30s, at('2026-11-27T10:00:10Z')), at('2026-11-27T10:00:30Z'));
  assert.equal(nextTick(every30s, at('2026-11-27T10:00:30Z')), at('2026-11-27T10:01:00Z'));
});

test('due ticks are those after the last fired one, up to now, oldest first', () => {
  assert.deepEqual(dueTicks(every5min, at('2026-11-27T10:00:00Z'), at('2026-11-27T10:17:00Z')), [
    at('2026-11-27T10:05:00Z'), at('2026-11-27T10:10:00Z'), at('2026-11-27T10:15:00Z'),
  ]);
  assert.deepEqual(dueTicks(every5min, at('2026-11-27T10:15:00Z'), at('2026-11-27T10:19:59Z')), []);
});

test('a long outage delivers at most the most recent ticks inside the catch-up window', () => {
  const now = at('2026-11-27T10:00:00Z');
  const ticks = dueTicks(every30s, now - 7 * catchUpWindowMs, now);
  assert.equal(ticks.length, maxCatchUpTicks);
  assert.equal(ticks.at(-1), now);
  assert.equal(ticks[0], now - (maxCatchUpTicks - 1) * 30_000);
});
