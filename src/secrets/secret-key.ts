// The key secrets are sealed with: from `wasmlet serve --secret-key-file PATH`, or generated once
// into <data-dir>/secret.key (mode 0600, created exclusively) and read from there afterwards.
import { randomBytes } from 'node:crypto';
import { constants } from 'node:fs';
import { lstat, open, readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { WasmletError } from '../errors/wasmlet-error.js';
import { secretKeyBytes } from './secret-cipher.js';

/** The generated key's file, inside the data directory. */
export const generatedKeyFileName = 'secret.key';
/** Group and other permission bits: a generated key file with any of them set is refused. */
const accessByOthers = 0o077;
const hexKeyPattern = /^[0-9a-fA-F]{64}$/;

export interface SecretKey {
  readonly key: Buffer;
  /** Where it came from (a path), for messages. */
  readonly source: string;
  /** Created by this call: the host says so once, so the operator knows to back it up. */
  readonly generated: boolean;
}

/**
 * @example const { key } = await loadSecretKey({ dataDir: '.wasmlet' }); // creates .wasmlet/secret.key the first time
 * @throws WasmletError bad_request: an unreadable or malformed key file, or a generated one others can read
 */
export async function loadSecretKey(options: { readonly keyFile?: string | undefined; readonly dataDir: string }): Promise<SecretKey> {
  if (options.keyFile !== undefined) {
    const path = options.keyFile;
    const bytes = await readFile(path).catch((err: unknown) => {
      throw new WasmletError('bad_request', `cannot read --secret-key-file ${path}: ${(err as Error).message}`, { path }, { cause: err });
    });
    return { key: parseKeyBytes(bytes, `--secret-key-file ${path}`), source: path, generated: false };
  }
  const path = join(options.dataDir, generatedKeyFileName);
  const existing = await readGeneratedKey(path);
  if (existing) return { key: existing, source: path, generated: false };
  const key = randomBytes(secretKeyBytes);
  try {
    await writeExclusively(path, `${key.toString('hex')}\n`);
  } catch (err) {
    // Another process created it between our look and our write: use theirs, checked like any other.
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    const raced = await readGeneratedKey(path);
    if (!raced) throw err;
    return { key: raced, source: path, generated: false };
  }
  return { key, source: path, generated: true };
}

/** 32 raw bytes, or 64 hex characters (one trailing newline allowed: `openssl rand -hex 32 > key`). */
export function parseKeyBytes(bytes: Uint8Array, what: string): Buffer {
  if (bytes.byteLength === secretKeyBytes) return Buffer.from(bytes);
  const text = Buffer.from(bytes).toString('latin1').replace(/\r?\n$/, '');
  if (hexKeyPattern.test(text)) return Buffer.from(text, 'hex');
  throw new WasmletError(
    'bad_request',
    `${what} must hold a 256-bit key: exactly ${secretKeyBytes} raw bytes or ${secretKeyBytes * 2} hex characters, got ${bytes.byteLength} bytes (make one with: openssl rand -hex 32)`,
  );
}

async function readGeneratedKey(path: string): Promise<Buffer | undefined> {
  let stats;
  try {
    stats = await lstat(path);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new WasmletError('bad_request', `cannot read the secret key ${path}: ${(err as Error).message}`, { path }, { cause: err });
  }
  if (!stats.isFile()) throw new WasmletError('bad_request', `the secret key ${path} must be a regular file (not a link or a directory)`, { path });
  // Windows has no POSIX modes to check: there the file's ACL is the operator's job.
  if (process.platform !== 'win32' && (stats.mode & accessByOthers) !== 0) {
    const mode = (stats.mode & 0o777).toString(8).padStart(4, '0');
    throw new WasmletError('bad_request', `the secret key ${path} is accessible to other users (mode ${mode}); restrict it with: chmod 600 ${path}`, { path, mode });
  }
  return parseKeyBytes(await readFile(path), `the secret key ${path}`);
}

/** O_CREAT | O_EXCL with mode 0600 from the start (never a moment with looser permissions), durable before use. */
async function writeExclusively(path: string, text: string): Promise<void> {
  const handle = await open(path, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL, 0o600);
  try {
    await handle.writeFile(text);
    await handle.sync();
  } finally {
    await handle.close();
  }
  // The directory entry too: a key lost in a crash would leave every sealed secret unreadable.
  const dir = await open(dirname(path), 'r').catch(() => undefined);
  await dir?.sync().catch(() => undefined);
  await dir?.close();
}
