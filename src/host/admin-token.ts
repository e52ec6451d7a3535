// The admin token of a host started without --token: generated once into <data-dir>/admin-token
// (mode 0600, created exclusively) and read from there afterwards, by the host and by the CLI on the
// same machine. With it the admin API and the S3 endpoint never run open, so a web page can drive
// neither (a browser cannot send Authorization cross-site without a preflight the host never answers).
import { randomBytes } from 'node:crypto';
import { constants } from 'node:fs';
import { open } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { WasmletError } from '../errors/wasmlet-error.js';

/** The generated token's file, inside the data directory. */
export const adminTokenFileName = 'admin-token';
/** 256 bits: as strong as the secret key; base64url keeps it one printable word (43 characters). */
const generatedTokenBytes = 32;
/** What `--token` must be at least; a token file holding less was not written by the host. */
export const minTokenLength = 16;
/** Group and other permission bits: a token file with any of them set is refused. */
const accessByOthers = 0o077;
/** A token is one header word: printable ASCII without spaces (what AdminClient accepts). */
const tokenPattern = /^[\x21-\x7e]+$/;
/** A real token file is one line; anything bigger is not one. */
const maxTokenFileBytes = 4096;

export interface AdminToken {
  readonly token: string;
  /** Where it is kept, for messages (never the token itself). */
  readonly path: string;
  /** Created by this call: the host says where, once. */
  readonly generated: boolean;
}

export function adminTokenPath(dataDir: string): string {
  return join(dataDir, adminTokenFileName);
}

/**
 * @example const { token, path } = await loadOrCreateAdminToken('.wasmlet'); // creates .wasmlet/admin-token the first time
 * @throws WasmletError bad_request: a token file others can access, not a regular file, or not holding a token
 */
export async function loadOrCreateAdminToken(dataDir: string): Promise<AdminToken> {
  const path = adminTokenPath(dataDir);
  const existing = await readAdminToken(path);
  if (existing !== undefined) return { token: existing, path, generated: false };
  const token = randomBytes(generatedTokenBytes).toString('base64url');
  try {
    await writeExclusively(path, `${token}\n`);
  } catch (err) {
    // Another process created it between our look and our write: use theirs, checked like any other.
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') {
      throw new WasmletError('bad_request', `cannot create the admin token ${path}: ${(err as Error).message}`, { path }, { cause: err });
    }
    const raced = await readAdminToken(path);
    if (raced === undefined) throw err;
    return { token: raced, path, generated: false };
  }
  return { token, path, generated: true };
}

/**
 * The token in `path`, or undefined when there is no such file. Opened without following a link and
 * checked on the open descriptor (so the file checked is the file read).
 * @throws WasmletError bad_request: accessible to other users, not a regular file, or not a token
 */
export async function readAdminToken(path: string): Promise<string | undefined> {
  let handle;
  try {
    handle = await open(path, constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0));
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return undefined;
    const why = code === 'ELOOP' ? 'it is a symbolic link' : (err as Error).message;
    throw new WasmletError('bad_request', `cannot read the admin token ${path}: ${why}`, { path }, { cause: err });
  }
  try {
    const stats = await handle.stat();
    if (!stats.isFile()) throw new WasmletError('bad_request', `the admin token ${path} must be a regular file`, { path });
    // Windows has no POSIX modes to check: there the file's ACL is the operator's job.
    if (process.platform !== 'win32') {
      if ((stats.mode & accessByOthers) !== 0) {
        const mode = (stats.mode & 0o777).toString(8).padStart(4, '0');
        throw new WasmletError('bad_request', `the admin token ${path} is accessible to other users (mode ${mode}); restrict it with: chmod 600 ${path}`, { path, mode });
      }
      const uid = process.getuid?.();
      if (uid !== undefined && uid !== 0 && stats.uid !== uid) {
        throw new WasmletError('bad_request', `the admin token ${path} belongs to another user (uid ${stats.uid}); delete it to have a new one generated`, { path });
      }
    }
    if (stats.size > maxTokenFileBytes) throw invalidTokenFile(path);
    const token = (await handle.readFile('latin1')).replace(/\r?\n$/, '');
    if (token.length < minTokenLength || !tokenPattern.test(token)) throw invalidTokenFile(path);
    return token;
  } finally {
    await handle.close();
  }
}

function invalidTokenFile(path: string): WasmletError {
  return new WasmletError(
    'bad_request',
    `the admin token ${path} does not hold a token (one line of at least ${minTokenLength} printable characters); delete it to have a new one generated`,
    { path },
  );
}

/** O_CREAT | O_EXCL with mode 0600 from the start (never a moment with looser permissions), durable before use. */
async function writeExclusively(path: string, text: string): Promise<void> {
  const handle = await open(path, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | (constants.O_NOFOLLOW ?? 0), 0o600);
  try {
    await handle.writeFile(text);
    await handle.sync();
  } finally {
    await handle.close();
  }
  const dir = await open(dirname(path), 'r').catch(() => undefined);
  await dir?.sync().catch(() => undefined);
  await dir?.close();
}
