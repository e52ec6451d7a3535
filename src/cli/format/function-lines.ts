// One-line human summaries of admin API results (deploy, rollback, delete).
import type { DeployBody, FunctionInfo } from '../../client/api-types.js';

/** Hex digits of a digest worth showing: enough to tell versions apart at a glance. */
const shortDigestHexChars = 8;

/** `sha256:1a2b3c4d…` */
export function shortDigest(digest: string): string {
  const [algorithm, hex] = digest.includes(':') ? digest.split(':', 2) : ['', digest];
  const short = hex && hex.length > shortDigestHexChars ? `${hex.slice(0, shortDigestHexChars)}…` : (hex ?? '');
  return algorithm ? `${algorithm}:${short}` : short;
}

/** `GET,POST /hello/rust, ANY /hello/any`; `-` when the function has no HTTP route. */
export function formatRoutes(routes: FunctionInfo['routes']): string {
  if (routes.length === 0) return '-';
  return routes.map((r) => `${r.methods === 'any' ? 'ANY' : r.methods.join(',')} ${r.route}`).join(', ');
}

/** `deployed hello-rust v2 sha256:1a2b3c4d…  GET,POST /hello/rust` or `hello-rust is unchanged (v2)` */
export function deployedLine(result: DeployBody): string {
  const fn = result.function;
  if (result.unchanged) return `${fn.name} is unchanged (v${fn.version})`;
  return `deployed ${fn.name} v${fn.version} ${shortDigest(fn.digest)}  ${formatRoutes(fn.routes)}`;
}

/** `rolled back hello-rust: v1 is active (sha256:1a2b3c4d…)` */
export function rolledBackLine(fn: FunctionInfo): string {
  return `rolled back ${fn.name}: v${fn.version} is active (${shortDigest(fn.digest)})`;
}

export function deletedLine(name: string): string {
  return `deleted ${name}`;
}
