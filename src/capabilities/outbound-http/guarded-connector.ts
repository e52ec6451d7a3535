// undici's connector with the address guard in the only place it cannot be bypassed: it resolves
// the name once, checks every address, and dials an address it checked (no second resolution, so
// no DNS-rebinding window), then checks the socket's peer again. TLS always verifies the certificate
// against the name the guest asked for.
import { ADDRCONFIG, lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { isIP, type Socket } from 'node:net';
import { rootCertificates } from 'node:tls';
import { buildConnector } from 'undici';
import type { AllowedHost, Origin } from './allowed-hosts.js';
import { checkDialledAddress, type AddressGuardOptions } from './address-guard.js';
import { OutboundDeniedError } from './outbound-errors.js';

/** A dns.lookup-compatible resolver, asked for every address of a name. */
export type LookupAll = (hostname: string, options: { all: true; hints?: number }, callback: (err: NodeJS.ErrnoException | null, addresses: LookupAddress[]) => void) => void;

export interface GuardedConnectorOptions extends AddressGuardOptions {
  readonly grants: readonly AllowedHost[];
  /** Resolution, connection and TLS handshake together. */
  readonly connectTimeoutMs: number;
  /** dns.lookup unless given (tests map names to loopback with it). */
  readonly lookup?: LookupAll;
  /** Extra trusted certificate authorities (PEM), added to Node's bundled ones (`ca` alone would replace them); e.g. a private CA. */
  readonly ca?: string | readonly string[];
}

/** Errors worth trying the name's next address for: this address is unreachable, another may not be. */
const tryNextAddressCodes: ReadonlySet<string> = new Set(['ECONNREFUSED', 'EHOSTUNREACH', 'ENETUNREACH', 'EADDRNOTAVAIL']);

/**
 * The connect function for an undici Agent of one function version.
 * @example new Agent({ connect: guardedConnector({ grants, ownPorts: () => [8080], connectTimeoutMs: 5000 }) })
 */
export function guardedConnector(options: GuardedConnectorOptions): buildConnector.connector {
  // The timeout is ours (it must cover DNS too); undici's would only cover the socket.
  const dial = buildConnector({
    timeout: 0,
    rejectUnauthorized: true,
    ...(options.ca === undefined ? {} : { ca: [...rootCertificates, ...[options.ca].flat()] }),
  });
  const lookup = options.lookup ?? (dnsLookup as LookupAll);

  return (connectOptions, callback) => {
    const scheme = connectOptions.protocol === 'https:' ? 'https' : 'http';
    const origin: Origin = { scheme, host: connectOptions.hostname, port: Number(connectOptions.port || (scheme === 'https' ? 443 : 80)) };
    let socket: Socket | undefined;
    let settled = false;
    const finish = (err: Error | null, connected?: Socket) => {
      if (settled) {
        connected?.destroy();
        return;
      }
      settled = true;
      clearTimeout(timer);
      if (err) callback(err, null);
      else callback(null, connected!);
    };
    const timer = setTimeout(() => {
      socket?.destroy();
      finish(Object.assign(new Error(`connecting to ${origin.host}:${origin.port} timed out`), { code: 'UND_ERR_CONNECT_TIMEOUT' }));
    }, options.connectTimeoutMs);
    // A connection attempt alone is no reason to keep the process alive (its request has its own timer).
    timer.unref();

    const attempt = (addresses: readonly string[], index: number, lastError: Error | undefined): void => {
      const address = addresses[index];
      if (address === undefined) return finish(lastError ?? new Error(`no address to connect to for ${origin.host}`));
      const servername = connectOptions.servername || (isIP(origin.host) === 0 ? origin.host : undefined);
      socket = dial({ ...connectOptions, hostname: address, ...(servername === undefined ? {} : { servername }) }, (err, connected) => {
        if (settled) return connected?.destroy();
        if (err) return tryNextAddressCodes.has((err as NodeJS.ErrnoException).code ?? '') ? attempt(addresses, index + 1, err) : finish(err);
        // Belt and braces: the peer of the socket is the address that was checked.
        const refusal = checkDialledAddress(options.grants, origin, connected!.remoteAddress ?? '', options);
        if (refusal !== undefined) {
          connected!.destroy();
          return finish(new OutboundDeniedError(refusal));
        }
        finish(null, connected!);
      }) as unknown as Socket;
    };

    const checkAll = (addresses: readonly string[]) => {
      const refusals: string[] = [];
      const allowed = addresses.filter((address) => {
        const refusal = checkDialledAddress(options.grants, origin, address, options);
        if (refusal !== undefined) refusals.push(refusal);
        return refusal === undefined;
      });
      if (allowed.length === 0) return finish(new OutboundDeniedError(refusals[0] ?? `${origin.host} has no address`));
      attempt(allowed, 0, undefined);
    };

    if (isIP(origin.host) !== 0) return checkAll([origin.host]);
    lookup(origin.host, { all: true, hints: ADDRCONFIG }, (err, addresses) => {
      if (settled) return;
      if (err) return finish(err);
      checkAll(addresses.map((entry) => entry.address));
    });
  };
}
