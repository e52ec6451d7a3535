// Zip entry names -> safe relative paths: the zip-slip checks, done by wasmlet itself rather than
// trusted to the zip library alone.

export type EntryPath = { readonly ok: true; readonly path: string } | { readonly ok: false; readonly reason: string };

/**
 * Checks an entry's name and normalises it ("./a//b" -> "a/b"), so two spellings of one path
 * cannot both be in a bundle. A directory's name ends in "/"; "./" normalises to "" (the root).
 * @example entryPath('../etc/passwd'); // { ok: false, reason: '".." segments are not allowed' }
 */
export function entryPath(name: string): EntryPath {
  const unsafe = (reason: string): EntryPath => ({ ok: false, reason });
  if (/[\u0000-\u001f\u007f]/.test(name)) return unsafe('the name contains control characters');
  if (name.includes('\\')) return unsafe('backslashes are not allowed');
  if (name.startsWith('/')) return unsafe('absolute paths are not allowed');
  if (/^[A-Za-z]:/.test(name)) return unsafe('drive letters are not allowed');
  const segments = name.split('/');
  if (segments.includes('..')) return unsafe('".." segments are not allowed');
  return { ok: true, path: segments.filter((segment) => segment !== '' && segment !== '.').join('/') };
}
