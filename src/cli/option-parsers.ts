// Parsers for numeric command-line values: a wrong value is a usage error naming the expected range.
import { InvalidArgumentError } from 'commander';

const maxPort = 65535;

/** A TCP port; 0 lets the system pick a free one. */
export function parsePort(value: string): number {
  const port = parseInteger(value);
  if (port === undefined || port < 0 || port > maxPort) throw new InvalidArgumentError(`expected an integer from 0 to ${maxPort}`);
  return port;
}

export function parsePositiveInteger(value: string): number {
  const n = parseInteger(value);
  if (n === undefined || n < 1) throw new InvalidArgumentError('expected a positive integer');
  return n;
}

/** Digits only: Number() alone would accept "", "0x10", "1e3" and " 8". */
function parseInteger(value: string): number | undefined {
  return /^\d{1,15}$/.test(value) ? Number(value) : undefined;
}
