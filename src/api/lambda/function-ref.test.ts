// FunctionName forms and qualifiers, the alias split, and the List calls' pages.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { pickAliasVersion } from './alias-routing.js';
import { parseFunctionRef } from './function-ref.js';
import { LambdaError } from './lambda-error.js';
import { page } from './lambda-input.js';

test('every FunctionName form gives the name and qualifier; a conflicting ?Qualifier= is refused', () => {
  assert.deepEqual(parseFunctionRef('hello', undefined), { name: 'hello', qualifier: undefined });
  assert.deepEqual(parseFunctionRef('hello:live', undefined), { name: 'hello', qualifier: 'live' });
  assert.deepEqual(parseFunctionRef('hello', '$LATEST'), { name: 'hello', qualifier: '$LATEST' });
  assert.deepEqual(parseFunctionRef('000000000000:function:hello:3', undefined), { name: 'hello', qualifier: '3' });
  assert.deepEqual(parseFunctionRef('arn:aws:lambda:eu-west-1:000000000000:function:hello', '7'), { name: 'hello', qualifier: '7' });
  assert.deepEqual(parseFunctionRef('hello:7', '7'), { name: 'hello', qualifier: '7' });
  const code = (name: string) => (err: unknown) => err instanceof LambdaError && err.code === name;
  assert.throws(() => parseFunctionRef('hello:1', '2'), code('InvalidParameterValueException'));
  assert.throws(() => parseFunctionRef('arn:aws:s3:::bucket', undefined), code('ValidationException'));
  assert.throws(() => parseFunctionRef('a:b:c', undefined), code('ValidationException'));
  assert.throws(() => parseFunctionRef('hello:', undefined), code('ValidationException'));
  assert.throws(() => parseFunctionRef('hello', 'bad qualifier!'), code('ValidationException'));
});

test('an alias sends exactly the weighted share when the random source is uniform', () => {
  const alias = { name: 'live', functionVersion: '1', description: '', additionalVersionWeights: { 2: 0.25 }, revisionId: 'r' };
  let i = 0;
  const uniform = () => (i++ % 100) / 100;
  const picks = Array.from({ length: 1000 }, () => pickAliasVersion(alias, uniform));
  assert.equal(picks.filter((v) => v === '2').length, 250);
  assert.equal(pickAliasVersion({ ...alias, additionalVersionWeights: {} }, () => 0), '1');
});

test('pages follow the marker, at most 50 at a time, and refuse a marker this host did not give', () => {
  const items = Array.from({ length: 120 }, (_, n) => `f${String(n).padStart(3, '0')}`);
  const first = page(items, (s) => s, undefined, undefined);
  assert.equal(first.items.length, 50);
  const second = page(items, (s) => s, first.nextMarker, '10000');
  assert.deepEqual([second.items[0], second.items.length], ['f050', 50]);
  const third = page(items, (s) => s, second.nextMarker, '15');
  assert.deepEqual([third.items[0], third.items.length], ['f100', 15]);
  const last = page(items, (s) => s, third.nextMarker, undefined);
  assert.deepEqual([last.items[0], last.items.length, last.nextMarker], ['f115', 5, undefined]);
  assert.throws(() => page(items, (s) => s, '%%%', undefined), LambdaError);
  assert.throws(() => page(items, (s) => s, undefined, '0'), LambdaError);
});
