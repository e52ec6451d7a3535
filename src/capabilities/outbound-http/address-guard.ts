// The check on the address actually dialled, after DNS: a granted *name* must not lead a guest into
// the host's own networks (SSRF: loopback, private ranges, cloud metadata at 169.254.169.254), nor to
// the host's own listeners (admin API, HTTP routes). Only a grant that names the address literally opens it.
import { isIPv4, isIPv6 } from 'node:net';
import { networkInterfaces } from 'node:os';
import { formatOrigin, grantAllows, type AllowedHost, type Origin } from './allowed-hosts.js';

export type AddressClass =
  | 'public'
  | 'loopback'
  | 'private'
  | 'link-local'
  | 'cloud-metadata'
  | 'shared'
  | 'unspecified'
  | 'unique-local'
  | 'multicast'
  | 'reserved';

export interface AddressGuardOptions {
  /** The host's own listening ports (admin API, HTTP routes): read on every check, they may change. */
  readonly ownPorts: () => readonly number[];
  /** The host's interface addresses, canonical (see canonicalAddress); os.networkInterfaces() by default. */
  readonly ownAddresses?: () => ReadonlySet<string>;
}

/** For messages: "resolved to 10.0.0.5, a private address". */
const describeClass: Readonly<Record<AddressClass, string>> = {
  public: 'a public',
  loopback: 'a loopback',
  private: 'a private',
  'link-local': 'a link-local',
  'cloud-metadata': 'the cloud metadata',
  shared: 'a carrier-grade NAT',
  unspecified: 'an unspecified',
  'unique-local': 'a unique local',
  multicast: 'a multicast',
  reserved: 'a reserved',
};

type V4Range = readonly [base: string, prefixBits: number, kind: AddressClass];

/** IANA special-purpose IPv4 ranges a tenant must not reach by name (RFC 6890 and cloud metadata endpoints). */
const v4Ranges: readonly V4Range[] = [
  ['0.0.0.0', 8, 'unspecified'], // "this network": 0.0.0.0 reaches the host itself on Linux
  ['10.0.0.0', 8, 'private'],
  ['100.64.0.0', 10, 'shared'], // carrier-grade NAT; Alibaba's metadata service is 100.100.100.200
  ['127.0.0.0', 8, 'loopback'],
  ['169.254.169.254', 32, 'cloud-metadata'], // AWS, GCP, Azure, OpenStack instance metadata (credentials)
  ['169.254.0.0', 16, 'link-local'],
  ['172.16.0.0', 12, 'private'],
  ['192.0.0.0', 24, 'reserved'], // IETF protocol assignments; Oracle Cloud's metadata is 192.0.0.192
  ['192.168.0.0', 16, 'private'],
  ['198.18.0.0', 15, 'reserved'], // benchmarking networks
  ['224.0.0.0', 4, 'multicast'],
  ['240.0.0.0', 4, 'reserved'], // reserved, and 255.255.255.255 broadcast
];
const v4Parsed = v4Ranges.map(([base, bits, kind]) => ({ base: v4Number(base), mask: bits === 0 ? 0 : (~0 << (32 - bits)) >>> 0, kind }));

/**
 * The class of an address. IPv6 forms that carry an IPv4 address (mapped ::ffff:a.b.c.d, NAT64
 * 64:ff9b::/96, 6to4 2002::/16) are classed by that IPv4 address, so "::ffff:127.0.0.1" is loopback.
 * @example classifyAddress('::ffff:169.254.169.254') // 'cloud-metadata'
 */
export function classifyAddress(address: string): AddressClass {
  const bare = stripZone(address);
  if (isIPv4(bare)) return classifyV4(v4Number(bare));
  if (!isIPv6(bare)) return 'reserved'; // not an address at all: never dial it
  const g = v6Groups(bare);
  const embedded = (hi: number, lo: number) => classifyV4(((hi << 16) | lo) >>> 0);
  const zeros = (from: number, to: number) => g.slice(from, to).every((x) => x === 0);
  if (zeros(0, 8)) return 'unspecified';
  if (zeros(0, 7) && g[7] === 1) return 'loopback';
  if (zeros(0, 5) && g[5] === 0xffff) return embedded(g[6]!, g[7]!); // IPv4-mapped
  if (zeros(0, 6)) return 'reserved'; // IPv4-compatible (deprecated, RFC 4291)
  if (g[0] === 0x64 && g[1] === 0xff9b && zeros(2, 6)) return embedded(g[6]!, g[7]!); // NAT64 (RFC 6052)
  if (g[0] === 0x64 && g[1] === 0xff9b && g[2] === 1) return 'private'; // local-use NAT64 (RFC 8215)
  if (g[0] === 0x2002) return embedded(g[1]!, g[2]!); // 6to4 (RFC 3056)
  if ((g[0]! & 0xfe00) === 0xfc00) return 'unique-local'; // fc00::/7, AWS IMDS fd00:ec2::254 included
  if ((g[0]! & 0xffc0) === 0xfe80) return 'link-local'; // fe80::/10
  if ((g[0]! & 0xffc0) === 0xfec0) return 'private'; // site-local (deprecated), fec0::/10
  if ((g[0]! & 0xff00) === 0xff00) return 'multicast';
  return 'public';
}

/** One spelling per address: IPv4-mapped IPv6 becomes IPv4, IPv6 is compressed and lower-case, zones dropped. */
export function canonicalAddress(address: string): string {
  const bare = stripZone(address);
  if (!isIPv6(bare)) return bare;
  const g = v6Groups(bare);
  if (g.slice(0, 5).every((x) => x === 0) && g[5] === 0xffff) return `${g[6]! >> 8}.${g[6]! & 0xff}.${g[7]! >> 8}.${g[7]! & 0xff}`;
  return new URL(`http://[${bare}]/`).hostname.slice(1, -1);
}

/** Every address of the host's interfaces, canonical: a public address of the host reaches its listeners too. */
export function hostInterfaceAddresses(): ReadonlySet<string> {
  const addresses = new Set<string>();
  for (const list of Object.values(networkInterfaces())) for (const info of list ?? []) addresses.add(canonicalAddress(info.address));
  return addresses;
}

/**
 * Checks a connection the guest is about to make to `address` (resolved from `origin`'s host).
 * Returns the reason it is refused, or undefined when it may proceed.
 * - A non-public address needs a grant naming that address literally (scheme and port matching):
 *   `http://127.0.0.1:8080` opens 127.0.0.1 port 8080, whatever name led there, and nothing else.
 * - A public address needs a grant for the origin (already checked before sending; checked again here
 *   because this is the last step before a socket exists).
 * - The host's own listening ports, on loopback or any of its own addresses, need a grant naming the
 *   port explicitly: a wildcard port never reaches the admin API.
 */
export function checkDialledAddress(grants: readonly AllowedHost[], origin: Origin, address: string, options: AddressGuardOptions): string | undefined {
  const dialled = canonicalAddress(address);
  const kind = classifyAddress(dialled);
  let authorising: readonly AllowedHost[];
  if (kind === 'public') {
    authorising = grants.filter((grant) => grantAllows(grant, origin));
    if (authorising.length === 0) return `${formatOrigin(origin)} is not in allowed_outbound_hosts`;
  } else {
    const asLiteral: Origin = { ...origin, host: dialled };
    authorising = grants.filter((grant) => grant.host.kind === 'ip' && canonicalAddress(grant.host.address) === dialled && grantAllows(grant, asLiteral));
    if (authorising.length === 0) {
      const suggestion = formatOrigin({ ...origin, host: dialled });
      return `${formatOrigin(origin)} resolved to ${dialled}, ${describeClass[kind]} address; only a grant naming the address, e.g. "${suggestion}", allows it`;
    }
  }
  if (options.ownPorts().includes(origin.port) && isHostAddress(dialled, kind, options) && !authorising.some((grant) => grant.port !== '*')) {
    return `${dialled} port ${origin.port} is one of this host's own listeners; only a grant naming port ${origin.port} explicitly allows it`;
  }
  return undefined;
}

function isHostAddress(dialled: string, kind: AddressClass, options: AddressGuardOptions): boolean {
  if (kind === 'loopback' || kind === 'unspecified') return true;
  return (options.ownAddresses ?? hostInterfaceAddresses)().has(dialled);
}

function classifyV4(value: number): AddressClass {
  for (const range of v4Parsed) if (((value & range.mask) >>> 0) === range.base) return range.kind;
  return 'public';
}

function v4Number(address: string): number {
  return address.split('.').reduce((n, part) => ((n << 8) | Number(part)) >>> 0, 0);
}

/** Eight 16-bit groups of a valid IPv6 address ("::", and a trailing dotted IPv4, expanded). */
function v6Groups(address: string): number[] {
  const dotted = /(\d+\.\d+\.\d+\.\d+)$/.exec(address);
  let text = address;
  if (dotted) {
    const v4 = v4Number(dotted[1]!);
    text = `${address.slice(0, dotted.index)}${(v4 >>> 16).toString(16)}:${(v4 & 0xffff).toString(16)}`;
  }
  const [head = '', tail] = text.split('::');
  const parse = (part: string) => (part === '' ? [] : part.split(':').map((group) => parseInt(group, 16)));
  const front = parse(head);
  if (tail === undefined) return front;
  const back = parse(tail);
  return [...front, ...new Array<number>(8 - front.length - back.length).fill(0), ...back];
}

function stripZone(address: string): string {
  const percent = address.indexOf('%');
  return percent < 0 ? address : address.slice(0, percent);
}
