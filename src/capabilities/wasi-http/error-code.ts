// wasi:http's `error-code` variant as jco lifts and lowers it, and the mapping from the host's
// outbound error codes (capabilities/host-link.ts) onto it.
import type { OutboundErrorCode } from '../host-link.js';

export type WasiHttpErrorCode =
  | { readonly tag: 'HTTP-request-denied' }
  | { readonly tag: 'HTTP-request-URI-invalid' }
  | { readonly tag: 'HTTP-request-method-invalid' }
  | { readonly tag: 'DNS-error'; readonly val: { readonly rcode: string | undefined; readonly infoCode: number | undefined } }
  | { readonly tag: 'connection-refused' }
  | { readonly tag: 'connection-timeout' }
  | { readonly tag: 'connection-limit-reached' }
  | { readonly tag: 'HTTP-response-timeout' }
  | { readonly tag: 'TLS-certificate-error' }
  | { readonly tag: 'HTTP-response-body-size'; readonly val: bigint | undefined }
  | { readonly tag: 'HTTP-response-incomplete' }
  | { readonly tag: 'HTTP-protocol-error' }
  | { readonly tag: 'internal-error'; readonly val: string | undefined };

export function wasiErrorCodeOf(code: OutboundErrorCode, message: string): WasiHttpErrorCode {
  switch (code) {
    case 'denied':
      return { tag: 'HTTP-request-denied' };
    case 'invalid-request':
      return { tag: 'HTTP-request-URI-invalid' };
    case 'dns-error':
      return { tag: 'DNS-error', val: { rcode: message, infoCode: undefined } };
    case 'connection-refused':
      return { tag: 'connection-refused' };
    case 'connection-timeout':
      return { tag: 'connection-timeout' };
    case 'timeout':
      return { tag: 'HTTP-response-timeout' };
    case 'tls-error':
      return { tag: 'TLS-certificate-error' };
    case 'response-too-large':
      return { tag: 'HTTP-response-body-size', val: undefined };
    case 'too-many-requests':
      // The subrequest budget of the invocation is spent: the closest of wasi:http's codes.
      return { tag: 'connection-limit-reached' };
    case 'protocol-error':
      return { tag: 'HTTP-protocol-error' };
  }
}
