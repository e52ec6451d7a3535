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

const sizeUnits: Readonly<Record<string, number>> = { '': 1, b: 1, k: 1024, kb: 1024, kib: 1024, m: 1024 ** 2, mb: 1024 ** 2, mib: 1024 ** 2, g: 1024 ** 3, gb: 1024 ** 3, gib: 1024 ** 3, t: 1024 ** 4, tb: 1024 ** 4, tib: 1024 ** 4 };

/**
 * A size in bytes: a whole number with an optional binary unit (`512M`, `2GiB`, `1073741824`).
 * @example parseSize('1.5G') // 1610612736
 */
export function parseSize(value: string): number {
  const match = /^\s*([0-9]+(?:\.[0-9]+)?)\s*([a-zA-Z]*)\s*$/.exec(value);
  const unit = match ? sizeUnits[match[2]!.toLowerCase()] : undefined;
  if (!match || unit === undefined) throw new InvalidArgumentError('expected a size such as 512M, 2G or a number of bytes');
  const bytes = Math.floor(Number(match[1]) * unit);
  if (!Number.isSafeInteger(bytes)) throw new InvalidArgumentError('size too large');
  return bytes;
}

/** A size given in MiB by default (`4096`, `4G`, `512M`), returned in MiB. */
export function parseMebibytes(value: string): number {
  const bytes = /^\s*[0-9]+\s*$/.test(value) ? Number(value) * 1024 ** 2 : parseSize(value);
  const mib = Math.floor(bytes / 1024 ** 2);
  if (mib < 1) throw new InvalidArgumentError('expected at least 1 MiB');
  return mib;
}
