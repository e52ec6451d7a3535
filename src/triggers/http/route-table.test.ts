import assert from 'node:assert/strict';
import { test } from 'node:test';
import { RouteTable, type RouteEntry } from './route-table.js';

const entry = (route: string, functionName: string, methods: RouteEntry['methods'] = 'any'): RouteEntry => ({ route, functionName, methods });

test('exact routes beat wildcards and longer wildcards beat shorter ones', () => {
  const table = new RouteTable([entry('/*', 'root'), entry('/api/*', 'api'), entry('/api/users/*', 'users'), entry('/api/users/me', 'me')]);
  const fn = (path: string) => {
    const m = table.match('GET', path);
    return m.kind === 'found' ? m.entry.functionName : m.kind;
  };
  assert.equal(fn('/api/users/me'), 'me');
  assert.equal(fn('/api/users/42'), 'users');
  assert.equal(fn('/api/users'), 'users');
  assert.equal(fn('/api/other'), 'api');
  assert.equal(fn('/elsewhere'), 'root');
  assert.equal(fn('/'), 'root');
});

test('unknown paths are not found; wrong methods are 405 with the allowed list', () => {
  const table = new RouteTable([entry('/hello/c', 'c', ['GET', 'POST'])]);
  assert.deepEqual(table.match('GET', '/nope'), { kind: 'not_found' });
  assert.deepEqual(table.match('DELETE', '/hello/c'), { kind: 'method_not_allowed', allowed: ['GET', 'POST'] });
  assert.equal(table.match('HEAD', '/hello/c').kind, 'found');
  assert.equal(table.match('GET', '/hello/c/').kind, 'found');
});

test('a less specific route takes a method the most specific one refuses', () => {
  const table = new RouteTable([entry('/api/users', 'read', ['GET']), entry('/api/*', 'write', ['POST'])]);
  const m = table.match('POST', '/api/users');
  assert.equal(m.kind === 'found' && m.entry.functionName, 'write');
});

test('conflicts are same pattern, overlapping methods, another function', () => {
  const table = new RouteTable([entry('/a', 'one', ['GET']), entry('/b/*', 'one')]);
  assert.equal(table.conflictsWith(entry('/a', 'two', ['POST'])).length, 0);
  assert.equal(table.conflictsWith(entry('/a', 'two', ['GET', 'PUT'])).length, 1);
  assert.equal(table.conflictsWith(entry('/b/*', 'two', ['GET'])).length, 1);
  assert.equal(table.conflictsWith(entry('/b', 'two')).length, 0);
  assert.equal(table.conflictsWith(entry('/a', 'one')).length, 0); // a function never conflicts with itself
});

test('prefixes match whole segments only, and many routes stay a lookup by path', () => {
  const entries = Array.from({ length: 5000 }, (_, i) => entry(`/fn-${i}`, `fn-${i}`));
  const table = new RouteTable([...entries, entry('/files/*', 'files')]);
  const fn = (path: string) => {
    const m = table.match('GET', path);
    return m.kind === 'found' ? m.entry.functionName : m.kind;
  };
  assert.equal(fn('/fn-4999'), 'fn-4999');
  assert.equal(fn('/fn-4999/x'), 'not_found');
  assert.equal(fn('/files/a/b/c.txt'), 'files');
  assert.equal(fn('/filesystem'), 'not_found'); // "/files/*" does not serve "/filesystem"
  assert.equal(table.entries.length, 5001);
});

test('replacing one function changes only its routes', () => {
  const table = new RouteTable([entry('/a', 'one'), entry('/shared', 'one', ['GET']), entry('/shared', 'two', ['POST']), entry('/b/*', 'two')]);
  table.replaceFunction('one', [entry('/c', 'one')]);
  const fn = (method: string, path: string) => {
    const m = table.match(method, path);
    return m.kind === 'found' ? m.entry.functionName : m.kind;
  };
  assert.equal(fn('GET', '/a'), 'not_found');
  assert.equal(fn('GET', '/c'), 'one');
  assert.equal(fn('GET', '/shared'), 'method_not_allowed'); // two's POST route stays
  assert.equal(fn('POST', '/shared'), 'two');
  table.replaceFunction('two', []);
  assert.equal(fn('POST', '/shared'), 'not_found');
  assert.equal(fn('GET', '/b/x'), 'not_found');
  assert.deepEqual(table.entries.map((e) => e.route), ['/c']);
});
