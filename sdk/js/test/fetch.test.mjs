// fetch(), fetchSync() and the response they give, against a fake outbound-http import.
import './fake-wit/install.mjs';
import assert from 'node:assert/strict';
import { beforeEach, test } from 'node:test';
import { fake } from './fake-wit/state.mjs';

const { fetch, fetchSync, FetchError, FetchHeaders, FetchResponse, bodyJson, bodyText } = await import('../index.js');

const utf8 = (s) => new TextEncoder().encode(s);

beforeEach(() => fake.reset());

test('fetchSync() sends a GET with the given headers and returns the whole response', () => {
  fake.answer = () => ({ status: 201, headers: [['content-type', 'application/json'], ['x-a', '1'], ['x-a', '2']], body: utf8('{"é":1}') });
  const res = fetchSync('http://127.0.0.1:8080/x?y=1', { headers: { 'x-probe': 'js' } });
  assert.deepEqual(fake.requests, [{ method: 'GET', url: 'http://127.0.0.1:8080/x?y=1', headers: [['x-probe', 'js']], body: '' }]);
  assert.ok(res instanceof FetchResponse);
  assert.equal(res.status, 201);
  assert.equal(res.ok, true);
  assert.equal(res.statusText, '');
  assert.equal(res.url, 'http://127.0.0.1:8080/x?y=1');
  assert.equal(res.headers.get('Content-Type'), 'application/json');
  assert.equal(res.headers.get('x-a'), '1, 2');
  assert.equal(res.headers.get('missing'), null);
  assert.deepEqual(bodyJson(res), { é: 1 }); // the SDK's body helpers read a response synchronously
  assert.equal(bodyText(res), '{"é":1}');
});

test('fetch() resolves to the same response; text(), json(), arrayBuffer() and bytes() are Promises', async () => {
  fake.answer = () => ({ status: 404, headers: [], body: utf8('[1,2]') });
  const promise = fetch('https://api.example.com/');
  assert.ok(promise instanceof Promise);
  const res = await promise;
  assert.equal(res.ok, false);
  assert.equal(res.status, 404);
  assert.equal(await res.text(), '[1,2]');
  assert.deepEqual(await res.json(), [1, 2]);
  assert.deepEqual(new Uint8Array(await res.arrayBuffer()), utf8('[1,2]'));
  assert.deepEqual(await res.bytes(), utf8('[1,2]'));
  await assert.rejects(new FetchResponse({ status: 200, headers: [], body: utf8('nope') }, 'u').json(), SyntaxError);
});

test('a POST body: strings as UTF-8 with a default content-type, bytes as given', () => {
  fetchSync('http://h/', { method: 'post', body: 'héllo' });
  fetchSync('http://h/', { method: 'PUT', body: '{}', headers: [['Content-Type', 'application/json']] });
  fetchSync('http://h/', { method: 'PATCH', body: Uint8Array.of(1, 2) });
  fetchSync('http://h/', { method: 'DELETE', body: new Uint16Array([1]).buffer });
  assert.deepEqual(fake.requests.map(({ method, headers, body }) => ({ method, headers, body })), [
    { method: 'POST', headers: [['content-type', 'text/plain;charset=UTF-8']], body: 'héllo' },
    { method: 'PUT', headers: [['Content-Type', 'application/json']], body: '{}' },
    { method: 'PATCH', headers: [], body: '\u0001\u0002' },
    { method: 'DELETE', headers: [], body: '\u0001\u0000' },
  ]);
});

test('a Request-like input gives its url, method, headers and body; init overrides them', () => {
  const request = { url: 'http://h/r', method: 'POST', headers: new FetchHeaders({ 'X-From': 'req' }), body: 'b' };
  fetchSync(request);
  fetchSync(request, { method: 'PUT', headers: { 'x-from': 'init' } });
  fetchSync({ href: 'http://h/u' });
  assert.deepEqual(fake.requests.map(({ method, url, headers, body }) => [method, url, headers, body]), [
    ['POST', 'http://h/r', [['x-from', 'req'], ['content-type', 'text/plain;charset=UTF-8']], 'b'],
    ['PUT', 'http://h/r', [['x-from', 'init'], ['content-type', 'text/plain;charset=UTF-8']], 'b'],
    ['GET', 'http://h/u', [], ''],
  ]);
});

test('an err(http-error) is a FetchError (a TypeError) with the WIT code and the host\'s reason', async () => {
  fake.answer = () => ({ error: { code: 'denied', message: 'http://10.0.0.1 is not in allowed_outbound_hosts' } });
  assert.throws(() => fetchSync('http://10.0.0.1/'), (e) => {
    assert.ok(e instanceof FetchError && e instanceof TypeError);
    assert.equal(e.name, 'FetchError');
    assert.equal(e.code, 'denied');
    assert.equal(e.reason, 'http://10.0.0.1 is not in allowed_outbound_hosts');
    assert.equal(e.method, 'GET');
    assert.equal(e.url, 'http://10.0.0.1/');
    assert.equal(e.message, 'GET http://10.0.0.1/ failed: denied (http://10.0.0.1 is not in allowed_outbound_hosts)');
    return true;
  });
  fake.answer = () => ({ error: { code: 'connection-refused', message: '' } });
  await assert.rejects(fetch('http://127.0.0.1:1/'), { name: 'FetchError', code: 'connection-refused', message: 'GET http://127.0.0.1:1/ failed: connection-refused' });
});

test('arguments the ABI cannot carry are TypeErrors before the host is called; fetch() rejects with them', async () => {
  assert.throws(() => fetchSync(42), /input must be a URL string or a Request-like object/);
  assert.throws(() => fetchSync('http://h/', { method: '' }), /method must be a non-empty string/);
  assert.throws(() => fetchSync('http://h/', { body: 'x' }), /a GET request cannot have a body/);
  assert.throws(() => fetchSync('http://h/', { method: 'HEAD', body: '' }), /a HEAD request cannot have a body/);
  assert.throws(() => fetchSync('http://h/', { method: 'POST', body: { a: 1 } }), /fetch\(\): body must be a string, Uint8Array or ArrayBuffer.*JSON\.stringify\(\)/);
  assert.throws(() => fetchSync('http://h/', { headers: { a: null } }), /fetch\(\): header "a": value must be a string/);
  assert.throws(() => fetchSync('http://h/', { headers: 'a: b' }), /headers must be an object/);
  assert.throws(() => fetchSync('http://h/', { redirect: 'manual' }), /redirect "manual" is not supported/);
  await assert.rejects(fetch('http://h/', 'nope'), TypeError);
  assert.equal(fake.requests.length, 0);
});

test('FetchHeaders behaves like WHATWG Headers', () => {
  const headers = new FetchHeaders([['B', '2'], ['a', '1'], ['set-cookie', 'x=1'], ['Set-Cookie', 'y=2']]);
  headers.append('b', '3');
  assert.deepEqual([...headers], [['a', '1'], ['b', '2, 3'], ['set-cookie', 'x=1, y=2']]);
  assert.deepEqual(headers.getSetCookie(), ['x=1', 'y=2']);
  headers.set('A', 'one');
  headers.delete('b');
  assert.equal(headers.has('B'), false);
  assert.deepEqual([...headers.keys()], ['a', 'set-cookie']);
  assert.deepEqual([...headers.values()], ['one', 'x=1, y=2']);
  const seen = [];
  headers.forEach((value, name) => seen.push(`${name}=${value}`));
  assert.deepEqual(seen, ['a=one', 'set-cookie=x=1, y=2']);
  assert.deepEqual(new FetchHeaders(new Headers({ 'X-Node': 'y' })).pairs, [['x-node', 'y']]); // any Headers-like
});
