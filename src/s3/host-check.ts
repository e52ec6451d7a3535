// Which Host headers the S3 endpoint answers: the name it listens on and loopback names. A page in a browser
// whose own name was re-pointed at 127.0.0.1 (DNS rebinding) sends its own name and is refused.
import { isIP } from 'node:net';
import { hostname as machineName } from 'node:os';

/** The host part of a Host header: without the port, IPv6 brackets removed, lower case. */
export function hostnameOf(hostHeader: string): string {
  const value = hostHeader.trim().toLowerCase();
  if (value.startsWith('[')) return value.slice(1, value.indexOf(']') === -1 ? undefined : value.indexOf(']'));
  return value.replace(/:\d*$/, '');
}

function isLoopbackName(name: string): boolean {
  if (name === 'localhost' || name.endsWith('.localhost')) return true; // RFC 6761: always loopback
  if (isIP(name) === 4) return name.startsWith('127.');
  return name === '::1';
}

/**
 * True for the listen address itself and loopback names (`<bucket>.localhost` included, for
 * virtual-hosted requests). On a wildcard address (0.0.0.0, ::) the machine is reachable by any of
 * its addresses, so IP literals and the machine's own name pass too; other DNS names do not.
 */
export function hostAllowed(hostHeader: string | undefined, listenHost: string): boolean {
  if (hostHeader === undefined || hostHeader === '') return false;
  const name = hostnameOf(hostHeader);
  if (name === listenHost.toLowerCase() || isLoopbackName(name)) return true;
  const wildcard = listenHost === '0.0.0.0' || listenHost === '::';
  return wildcard && (isIP(name) !== 0 || name === machineName().toLowerCase());
}
