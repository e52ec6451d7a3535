import assert from 'node:assert/strict';
import { test } from 'node:test';
import { outboxOrigin, parseAckSubject, parseReceiptHandle, receiptHandleOf, streamOfAck } from './jetstream-delivery.js';

const v1 = '$JS.ACK.wasmlet_q_jobs.wasmlet.2.17.40.1796608505804490871.3';
const v2 = '$JS.ACK._.ACCOUNTHASH.wasmlet_q_jobs.wasmlet.2.17.40.1796608505804490871.3.rnd';

test('ack subjects in both forms give the delivery count, the stream sequence and the stream', () => {
  for (const subject of [v1, v2]) {
    assert.deepEqual(parseAckSubject(subject), { delivered: 2, streamSeq: 17 });
    assert.equal(streamOfAck(subject), 'wasmlet_q_jobs');
  }
});

test('a receipt handle round-trips; anything else is no handle', () => {
  const lease = { reply: v1, expiresAt: 1_700_000_060_000 };
  assert.deepEqual(parseReceiptHandle(receiptHandleOf(lease)), lease);
  for (const bad of ['', 'nope', `${v1}`, `${v1}|soon`, '12.abcdefghijklmnop', 42]) assert.equal(parseReceiptHandle(bad), undefined, String(bad));
});

test('the outbox origin names the batch by its stream sequences, whatever the order or the lease', () => {
  const a = receiptHandleOf({ reply: v1, expiresAt: 1 });
  const b = receiptHandleOf({ reply: v1.replace('.17.40.', '.18.41.'), expiresAt: 1 });
  const bAgain = receiptHandleOf({ reply: v1.replace('.2.17.40.', '.3.18.55.'), expiresAt: 99 }); // redelivered: same stream seq
  assert.equal(outboxOrigin([a, b]), outboxOrigin([bAgain, a]));
  assert.notEqual(outboxOrigin([a]), outboxOrigin([a, b]));
  assert.equal(outboxOrigin([]), undefined);
});
