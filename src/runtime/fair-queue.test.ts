import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FairQueue } from './fair-queue.js';

const item = (functionName: string, n: number) => ({ functionName, n });

test('functions take turns, each in its own FIFO order', () => {
  const queue = new FairQueue<ReturnType<typeof item>>();
  for (let n = 0; n < 5; n++) queue.push(item('flood', n));
  queue.push(item('calm', 0));
  queue.push(item('calm', 1));
  const order = [];
  while (queue.size > 0) {
    const next = queue.shift()!;
    order.push(`${next.functionName}${next.n}`);
  }
  assert.deepEqual(order, ['flood0', 'calm0', 'flood1', 'calm1', 'flood2', 'flood3', 'flood4']);
});

test('a function arriving late gets the next turn, not the back of the backlog', () => {
  const queue = new FairQueue<ReturnType<typeof item>>();
  for (let n = 0; n < 100; n++) queue.push(item('flood', n));
  queue.shift();
  queue.push(item('late', 0));
  assert.equal(queue.shift()!.functionName, 'late');
  assert.equal(queue.queuedFor('flood'), 99);
});

test('remove takes an item out wherever it is and keeps the counts right', () => {
  const queue = new FairQueue<ReturnType<typeof item>>();
  const a = item('a', 0);
  const b = item('b', 0);
  queue.push(a);
  queue.push(b);
  assert.equal(queue.remove(a), true);
  assert.equal(queue.remove(a), false);
  assert.equal(queue.size, 1);
  assert.equal(queue.peek(), b);
  assert.deepEqual(queue.drain(), [b]);
  assert.equal(queue.size, 0);
});

test('pushFront goes ahead of its own function only: the other functions keep their turns', () => {
  const queue = new FairQueue<ReturnType<typeof item>>();
  queue.push(item('waiting', 0));
  queue.push(item('cpu', 0));
  queue.push(item('cpu', 1));
  queue.shift(); // waiting0: the turn passes to cpu
  queue.pushFront(item('waiting', 9));
  assert.deepEqual([queue.shift(), queue.shift(), queue.shift()].map((i) => `${i!.functionName}${i!.n}`), ['cpu0', 'waiting9', 'cpu1']);
});

test('pick passes over ineligible functions without losing their place; take passes the turn on', () => {
  const queue = new FairQueue<ReturnType<typeof item>>();
  queue.push(item('full', 0));
  queue.push(item('a', 0));
  queue.push(item('b', 0));
  queue.push(item('a', 1));
  const notFull = (i: ReturnType<typeof item>) => i.functionName !== 'full';
  const first = queue.pick(notFull)!;
  assert.equal(`${first.functionName}${first.n}`, 'a0');
  queue.take(first);
  const second = queue.pick(notFull)!;
  assert.equal(`${second.functionName}${second.n}`, 'b0');
  queue.take(second);
  assert.equal(queue.peek()!.functionName, 'full', 'once eligible, the passed-over function is next');
  assert.equal(queue.pick(() => false), undefined);
});

test('the function that used the least compute goes first; a newcomer starts level, without saved-up credit', () => {
  const queue = new FairQueue<ReturnType<typeof item>>();
  for (let n = 0; n < 3; n++) queue.push(item('heavy', n));
  for (let n = 0; n < 3; n++) queue.push(item('light', n));
  queue.take(queue.pick(() => true)!); // heavy0
  queue.charge('heavy', 200);
  const order = [];
  for (let i = 0; i < 3; i++) {
    const next = queue.shift()!;
    order.push(`${next.functionName}${next.n}`);
    queue.charge(next.functionName, next.functionName === 'heavy' ? 200 : 0.2);
  }
  assert.deepEqual(order, ['light0', 'light1', 'light2'], 'all of the light calls before another 200 ms heavy one');
  queue.push(item('late', 0));
  assert.equal(queue.peek()!.functionName, 'late', 'a newcomer owes nothing; heavy still owes its 200 ms');
  queue.charge('late', 1_000); // served while idle since: its debt is kept
  queue.take(queue.peek()!);
  queue.push(item('late', 1));
  assert.equal(queue.peek()!.functionName, 'heavy', 'back in the queue, late keeps its 1,000 ms debt');
});
