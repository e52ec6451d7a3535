// The address guard: which resolved addresses a granted name may lead to, and which need a literal grant.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { canonicalAddress, checkDialledAddress, classifyAddress } from './address-guard.js';
import { parseAllowedHosts, type Origin } from './allowed-hosts.js';

const noOwnPorts = { ownPorts: () => [], ownAddresses: () => new Set<string>() };
const origin = (scheme: 'http' | 'https', host: string, port: number): Origin => ({ scheme, host, port });

describe('classifyAddress', () => {
  test('every refused IPv4 range, at both ends', () => {
    const cases: [string, string][] = [
      ['127.0.0.1', 'loopback'], ['127.255.255.254', 'loopback'],
      ['10.0.0.1', 'private'], ['10.255.255.255', 'private'],
      ['172.16.0.1', 'private'], ['172.31.255.255', 'private'],
      ['192.168.0.1', 'private'], ['192.168.255.255', 'private'],
      ['169.254.0.1', 'link-local'], ['169.254.169.254', 'cloud-metadata'],
      ['100.64.0.1', 'shared'], ['100.127.255.255', 'shared'], ['100.100.100.200', 'shared'],
      ['0.0.0.0', 'unspecified'], ['0.255.255.255', 'unspecified'],
    ];
    for (const [address, kind] of cases) assert.equal(classifyAddress(address), kind, address);
  });

  test('the neighbours of those ranges are public', () => {
    for (const address of ['126.255.255.255', '128.0.0.1', '11.0.0.1', '172.15.255.255', '172.32.0.1', '192.167.1.1', '169.253.1.1', '100.63.255.255', '100.128.0.1', '1.0.0.1', '8.8.8.8']) {
      assert.equal(classifyAddress(address), 'public', address);
    }
  });

  test('IPv6: loopback, unspecified, unique-local, link-local; public otherwise', () => {
    assert.equal(classifyAddress('::1'), 'loopback');
    assert.equal(classifyAddress('::'), 'unspecified');
    assert.equal(classifyAddress('fc00::1'), 'unique-local');
    assert.equal(classifyAddress('fd00:ec2::254'), 'unique-local');
    assert.equal(classifyAddress('fe80::1%eth0'), 'link-local');
    assert.equal(classifyAddress('febf::1'), 'link-local');
    assert.equal(classifyAddress('2606:4700::1111'), 'public');
    assert.equal(classifyAddress('fbff::1'), 'public');
  });

  test('IPv6 forms that carry an IPv4 address are classed by it', () => {
    assert.equal(classifyAddress('::ffff:127.0.0.1'), 'loopback');
    assert.equal(classifyAddress('::ffff:7f00:1'), 'loopback');
    assert.equal(classifyAddress('::ffff:169.254.169.254'), 'cloud-metadata');
    assert.equal(classifyAddress('::ffff:a9fe:a9fe'), 'cloud-metadata');
    assert.equal(classifyAddress('::ffff:10.1.2.3'), 'private');
    assert.equal(classifyAddress('::ffff:192.168.1.1'), 'private');
    assert.equal(classifyAddress('::ffff:0.0.0.0'), 'unspecified');
    assert.equal(classifyAddress('64:ff9b::a9fe:a9fe'), 'cloud-metadata');
    assert.equal(classifyAddress('2002:7f00:1::'), 'loopback');
    assert.equal(classifyAddress('::ffff:8.8.8.8'), 'public');
  });

  test('canonical spellings', () => {
    assert.equal(canonicalAddress('::ffff:127.0.0.1'), '127.0.0.1');
    assert.equal(canonicalAddress('0:0:0:0:0:0:0:1'), '::1');
    assert.equal(canonicalAddress('FE80::1%eth0'), 'fe80::1');
  });
});

describe('checkDialledAddress', () => {
  test('a granted name resolving to a public address passes', () => {
    assert.equal(checkDialledAddress(parseAllowedHosts(['https://api.example.com']), origin('https', 'api.example.com', 443), '93.184.215.14', noOwnPorts), undefined);
  });

  test('a granted name resolving to loopback, private or metadata addresses is refused', () => {
    const grants = parseAllowedHosts(['https://api.example.com', '*://*:*']);
    for (const address of ['127.0.0.1', '::1', '::ffff:127.0.0.1', '10.0.0.7', '172.16.5.4', '192.168.1.1', '169.254.169.254', '100.64.0.1', '0.0.0.0', '::', 'fd12::1', 'fe80::1']) {
      const refusal = checkDialledAddress(grants, origin('https', 'api.example.com', 443), address, noOwnPorts);
      assert.match(refusal ?? '', /only a grant naming the address/, address);
    }
  });

  test('the refusal names the address, its kind and the grant that would allow it', () => {
    assert.equal(
      checkDialledAddress(parseAllowedHosts(['http://metadata.test']), origin('http', 'metadata.test', 80), '169.254.169.254', noOwnPorts),
      'http://metadata.test resolved to 169.254.169.254, the cloud metadata address; only a grant naming the address, e.g. "http://169.254.169.254", allows it',
    );
  });

  test('a literal grant opens that address on that port and scheme only, whatever name led there', () => {
    const grants = parseAllowedHosts(['http://127.0.0.1:8080', 'http://internal.test:*']);
    assert.equal(checkDialledAddress(grants, origin('http', '127.0.0.1', 8080), '127.0.0.1', noOwnPorts), undefined);
    assert.equal(checkDialledAddress(grants, origin('http', 'internal.test', 8080), '::ffff:127.0.0.1', noOwnPorts), undefined);
    assert.notEqual(checkDialledAddress(grants, origin('http', 'internal.test', 8081), '127.0.0.1', noOwnPorts), undefined);
    assert.notEqual(checkDialledAddress(grants, origin('https', '127.0.0.1', 8080), '127.0.0.1', noOwnPorts), undefined);
    assert.notEqual(checkDialledAddress(grants, origin('http', 'internal.test', 8080), '127.0.0.2', noOwnPorts), undefined);
  });

  test('an IPv6 literal grant opens that address', () => {
    const grants = parseAllowedHosts(['http://[::1]:8080']);
    assert.equal(checkDialledAddress(grants, origin('http', '::1', 8080), '0:0:0:0:0:0:0:1', noOwnPorts), undefined);
  });

  test('a public address still needs a grant for the origin', () => {
    assert.match(checkDialledAddress(parseAllowedHosts(['https://api.example.com']), origin('https', 'evil.test', 443), '93.184.215.14', noOwnPorts) ?? '', /not in allowed_outbound_hosts/);
  });

  test('a wildcard-port grant never reaches the host\'s own ports; an explicit port does', () => {
    const guard = { ownPorts: () => [9000], ownAddresses: () => new Set(['203.0.113.9']) };
    const wildcard = parseAllowedHosts(['http://127.0.0.1:*', 'http://[::1]:*', 'http://self.example.com:*']);
    assert.match(checkDialledAddress(wildcard, origin('http', '127.0.0.1', 9000), '127.0.0.1', guard) ?? '', /own listeners; only a grant naming port 9000/);
    assert.match(checkDialledAddress(wildcard, origin('http', '::1', 9000), '::1', guard) ?? '', /own listeners/);
    // A public name that resolves to one of the host's own addresses is the same door.
    assert.match(checkDialledAddress(wildcard, origin('http', 'self.example.com', 9000), '203.0.113.9', guard) ?? '', /own listeners/);
    assert.equal(checkDialledAddress(wildcard, origin('http', '127.0.0.1', 9001), '127.0.0.1', guard), undefined);
    const explicit = parseAllowedHosts(['http://127.0.0.1:9000']);
    assert.equal(checkDialledAddress(explicit, origin('http', '127.0.0.1', 9000), '127.0.0.1', guard), undefined);
  });
});
