// Parsers for command-line values (numbers, key=value pairs): a wrong value is a usage error naming what was expected.
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

/** A count or a delay that may be zero. */
export function parseNonNegativeInteger(value: string): number {
  const n = parseInteger(value);
  if (n === undefined) throw new InvalidArgumentError('expected a whole number >= 0');
  return n;
}

/**
 * A repeatable `key=value` option, collected into one record; the value may itself contain `=`.
 * @example new Option('--attribute <key=value>').argParser(parseKeyValue).default({})
 */
export function parseKeyValue(value: string, previous: Readonly<Record<string, string>> = {}): Record<string, string> {
  const at = value.indexOf('=');
  if (at < 1) throw new InvalidArgumentError(`expected key=value, got ${JSON.stringify(value)}`);
  const key = value.slice(0, at);
  if (Object.hasOwn(previous, key)) throw new InvalidArgumentError(`${key} is given twice`);
  return { ...previous, [key]: value.slice(at + 1) };
}

/** Digits only: Number() alone would accept "", "0x10", "1e3" and " 8". */
function parseInteger(value: string): number | undefined {
  return /^\d{1,15}$/.test(value) ? Number(value) : undefined;
}
