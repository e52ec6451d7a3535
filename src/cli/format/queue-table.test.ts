import assert from 'node:assert/strict';
import { test } from 'node:test';
import { sampleQueueStats } from '../../../test/support/fake-admin-api.js';
import { formatAge, queueStatsTable, queueTable } from './queue-table.js';

test('formatAge: two units at most, - for an empty queue', () => {
  const cases: Array<[number | null, string]> = [
    [null, '-'],
    [0, '0 ms'],
    [850, '850 ms'],
    [1_000, '1 s'],
    [42_900, '42 s'],
    [60_000, '1 min'],
    [185_000, '3 min 5 s'],
    [7_500_000, '2 h 5 min'],
    [3 * 86_400_000 + 4 * 3_600_000 + 59_000, '3 d 4 h'],
    [86_400_000, '1 d'],
  ];
  for (const [ms, text] of cases) assert.equal(formatAge(ms), text, String(ms));
});

test('queueTable: every queue, counts aligned, no consumer column', () => {
  const table = queueTable([
    { queue: 'jobs', visible: 12, inFlight: 1, delayed: 0, oldestAgeMs: 185_000 },
    { queue: 'jobs-dlq', visible: 2, inFlight: 0, delayed: 0, oldestAgeMs: null },
  ]);
  assert.equal(
    table,
    ['QUEUE     VISIBLE  IN-FLIGHT  DELAYED  OLDEST', 'jobs      12       1          0        3 min 5 s', 'jobs-dlq  2        0          0        -', ''].join('\n'),
  );
  assert.equal(queueTable([]), 'no queues hold messages\n');
});

test('queueStatsTable: one queue with its consumer, - when none consumes it', () => {
  assert.equal(
    queueStatsTable(sampleQueueStats()),
    ['QUEUE  VISIBLE  IN-FLIGHT  DELAYED  OLDEST      CONSUMER', 'jobs   3        1          0        1 min 35 s  jobs-worker', ''].join('\n'),
  );
  assert.match(queueStatsTable(sampleQueueStats({ consumer: null, oldestAgeMs: null })), /\njobs +3 +1 +0 +- +-\n$/);
});
