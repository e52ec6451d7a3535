import assert from 'node:assert/strict';
import { test } from 'node:test';
import { sampleFunction } from '../../../test/support/fake-admin-api.js';
import { alignColumns, functionTable } from './function-table.js';

test('functionTable aligns name, version, routes and deploy time', () => {
  const table = functionTable([
    sampleFunction(),
    sampleFunction({ name: 'c', version: 12, routes: [{ route: '/c', methods: 'any' }], deployedAt: '2026-11-28T08:00:00.000Z' }),
  ]);
  assert.equal(
    table,
    [
      'NAME        VERSION  ROUTES                DEPLOYED',
      'hello-rust  v2       GET,POST /hello/rust  2026-11-27T19:23:37Z',
      'c           v12      ANY /c                2026-11-28T08:00:00Z',
      '',
    ].join('\n'),
  );
});

test('functionTable says when nothing is deployed', () => {
  assert.equal(functionTable([]), 'no functions deployed\n');
});

test('alignColumns counts characters, not UTF-16 units', () => {
  assert.equal(alignColumns([['🙂', 'x'], ['ab', 'y']]), '🙂   x\nab  y\n');
});
