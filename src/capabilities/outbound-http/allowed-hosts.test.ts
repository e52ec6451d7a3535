// Spin's allowed_outbound_hosts syntax: what each entry grants, and why a bad one is refused.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { formatOrigin, matches, originOf, parseAllowedHost, parseAllowedHosts } from './allowed-hosts.js';

function grant(entry: string) {
  const parsed = parseAllowedHost(entry);
  assert.ok(parsed.ok, `refused ${entry}: ${parsed.ok ? '' : parsed.reason}`);
  return parsed.grant;
}

function reason(entry: string): string {
  const parsed = parseAllowedHost(entry);
  assert.ok(!parsed.ok, `accepted ${entry}`);
  return parsed.reason;
}

const allows = (entries: string[], url: string) => matches(parseAllowedHosts(entries), new URL(url));

describe('parseAllowedHost', () => {
  test('a host without a port grants its scheme\'s default port', () => {
    assert.deepEqual(grant('https://api.example.com'), { entry: 'https://api.example.com', scheme: 'https', host: { kind: 'name', name: 'api.example.com' }, port: 443 });
    assert.equal(grant('http://api.example.com').port, 80);
    assert.equal(grant('https://api.example.com/').port, 443);
  });

  test('ports, wildcard ports and the wildcard scheme', () => {
    assert.equal(grant('https://api.example.com:8443').port, 8443);
    assert.equal(grant('https://api.example.com:*').port, '*');
    assert.deepEqual([grant('*://api.example.com:443').scheme, grant('*://api.example.com:443').port], ['*', 443]);
  });

  test('subdomain wildcards, literal addresses, case and IDN', () => {
    assert.deepEqual(grant('https://*.Example.com').host, { kind: 'subdomains', parent: 'example.com' });
    assert.deepEqual(grant('http://127.0.0.1:8080').host, { kind: 'ip', address: '127.0.0.1', family: 4 });
    assert.deepEqual(grant('http://[::1]:8080').host, { kind: 'ip', address: '::1', family: 6 });
    assert.deepEqual(grant('http://[0:0::1]:8080').host, { kind: 'ip', address: '::1', family: 6 });
    assert.deepEqual(grant('HTTPS://API.Example.COM').host, { kind: 'name', name: 'api.example.com' });
    assert.deepEqual(grant('https://bücher.example').host, { kind: 'name', name: 'xn--bcher-kva.example' });
  });

  test('*://*:* means everything, and only when written out exactly', () => {
    assert.deepEqual(grant('*://*:*'), { entry: '*://*:*', scheme: '*', host: { kind: 'any' }, port: '*' });
    for (const entry of ['https://*', '*://*:443', 'http://*:*']) assert.match(reason(entry), /only in "\*:\/\/\*:\*"/);
    assert.match(reason('*://*'), /port/);
  });

  test('is frozen', () => {
    const parsed = grant('https://*.example.com');
    assert.ok(Object.isFrozen(parsed) && Object.isFrozen(parsed.host));
  });

  test('refuses an entry without a scheme, suggesting one', () => {
    assert.equal(reason('api.example.com'), 'must start with a scheme ("https://", "http://" or "*://"), e.g. "https://api.example.com"');
    assert.match(reason('api.example.com:443'), /must start with a scheme/);
  });

  test('refuses what it cannot enforce, saying why', () => {
    const cases: [string, RegExp][] = [
      ['ftp://files.example.com', /scheme "ftp": outbound calls are HTTP only/],
      ['https://api.example.com/v1', /must not have a path/],
      ['https://api.example.com?x=1', /must not have a path/],
      ['https://user@api.example.com', /credentials/],
      ['http://10.0.0.0/8', /CIDR ranges are not supported/],
      ['https://api.example.com:70000', /port "70000"/],
      ['https://api.example.com:0', /port "0"/],
      ['https://api.example.com:8080..8090', /port ranges are not supported/],
      ['https://api.example.com:', /port ""/],
      ['http://::1:8080', /IPv6 address in brackets/],
      ['http://[::1', /unclosed/],
      ['http://[api.example.com]:80', /not an IPv6 address/],
      ['https://a*.example.com', /"\*" may only be the first label/],
      ['https://*.*.example.com', /"\*" may only be the first label/],
      ['https://', /must name a host/],
      ['https://exa mple.com', /spaces/],
      ['https://-bad-.example.com', /not a valid host name/],
      ['https://0x7f.1', /not a valid host name or IPv4/],
      ['https://1.2.3', /not a valid host name or IPv4/],
      ['*://api.example.com', /must give a port with the "\*" scheme/],
    ];
    for (const [entry, expected] of cases) assert.match(reason(entry), expected, entry);
  });
});

describe('matches', () => {
  test('denies everything without grants', () => {
    assert.equal(allows([], 'https://api.example.com/'), false);
  });

  test('a default-port grant covers that port only', () => {
    assert.equal(allows(['https://api.example.com'], 'https://api.example.com/v1?x=1'), true);
    assert.equal(allows(['https://api.example.com'], 'https://api.example.com:443/'), true);
    assert.equal(allows(['https://api.example.com'], 'https://api.example.com:8443/'), false);
    assert.equal(allows(['https://api.example.com'], 'http://api.example.com/'), false);
    assert.equal(allows(['https://api.example.com'], 'https://other.example.com/'), false);
  });

  test('a wildcard port covers every port; a wildcard scheme both schemes', () => {
    assert.equal(allows(['https://api.example.com:*'], 'https://api.example.com:9/'), true);
    assert.equal(allows(['*://api.example.com:443'], 'http://api.example.com:443/'), true);
    assert.equal(allows(['*://api.example.com:443'], 'https://api.example.com/'), true);
    assert.equal(allows(['*://api.example.com:443'], 'http://api.example.com/'), false);
  });

  test('*.example.com covers subdomains at any depth, not the apex nor look-alikes', () => {
    const entries = ['https://*.example.com'];
    assert.equal(allows(entries, 'https://a.example.com/'), true);
    assert.equal(allows(entries, 'https://a.b.example.com/'), true);
    assert.equal(allows(entries, 'https://example.com/'), false);
    assert.equal(allows(entries, 'https://badexample.com/'), false);
    assert.equal(allows(entries, 'https://example.com.evil.test/'), false);
  });

  test('literal addresses match the URL\'s canonical form', () => {
    assert.equal(allows(['http://127.0.0.1:8080'], 'http://127.0.0.1:8080/'), true);
    assert.equal(allows(['http://127.0.0.1:8080'], 'http://2130706433:8080/'), true); // WHATWG canonicalises first
    assert.equal(allows(['http://127.0.0.1:8080'], 'http://127.0.0.1:8081/'), false);
    assert.equal(allows(['http://[::1]:8080'], 'http://[0::1]:8080/'), true);
  });

  test('everything only with *://*:*, and never another scheme', () => {
    assert.equal(allows(['*://*:*'], 'http://anything.test:1/'), true);
    assert.equal(allows(['*://*:*'], 'ftp://anything.test/'), false);
  });

  test('origins format as a grant would be written', () => {
    assert.equal(formatOrigin(originOf(new URL('https://API.example.com:443/x'))!), 'https://api.example.com');
    assert.equal(formatOrigin(originOf(new URL('http://[::1]:8080/'))!), 'http://[::1]:8080');
  });
});
