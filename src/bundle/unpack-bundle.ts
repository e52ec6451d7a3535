// Unpacks a bundle zip into memory, defensively: every entry is checked from the central directory
// (path, type, encryption, declared sizes, compression ratio) before anything is inflated, and the
// sizes are enforced again while inflating, so a lying header cannot get past.
import { crc32 } from 'node:zlib';
import yauzl, { type Entry, type ZipFile } from 'yauzl';
import { WasmletError } from '../errors/wasmlet-error.js';
import { compressionRatioFloorBytes, defaultBundleLimits, type BundleLimits } from './bundle-limits.js';
import { entryPath } from './entry-path.js';

/** Unix file types, from the upper 16 bits of a zip entry's external attributes (st_mode). */
const fileTypeMask = 0o170000;
const regularFileType = 0o100000;
const directoryType = 0o040000;
const symlinkType = 0o120000;

/** General purpose flag bit 0: the entry is encrypted (traditional PKWARE or AES). */
const encryptedFlag = 0x1;
/** Stored and deflate: what every zip tool writes, and all yauzl can inflate. */
const storedMethod = 0;
const deflateMethod = 8;
/** The fixed part of a local file header: the least room an entry can take before its data. */
const localHeaderBytes = 30;
/** Entry names in messages are cut to this many characters; a zip name can be 64 KiB long. */
const maxNameCharsInMessages = 200;

interface FileEntry {
  readonly path: string;
  readonly entry: Entry;
}

/**
 * Unpacks the files of a bundle; directory entries are skipped. Paths are normalised ("./a" -> "a").
 * @example
 * const files = await unpackBundle(zipBytes);
 * files.get('wasmlet.toml'); // Uint8Array
 * @throws WasmletError bundle_invalid (not a zip, corrupt), bundle_unsafe (path, link, encryption,
 *   duplicate, overlap) or bundle_too_large (entries, sizes, ratio), naming the entry and the limit.
 */
export async function unpackBundle(zip: Uint8Array, limits: BundleLimits = defaultBundleLimits): Promise<ReadonlyMap<string, Uint8Array>> {
  const zipfile = await openZip(zip);
  try {
    if (zipfile.entryCount > limits.maxEntries) {
      throw new WasmletError('bundle_too_large', `the bundle has ${zipfile.entryCount} entries; at most ${limits.maxEntries} are allowed`, {
        entries: zipfile.entryCount,
        limit: limits.maxEntries,
      });
    }
    const files = await readCentralDirectory(zipfile, limits);
    checkNoOverlap(files);
    const unpacked = new Map<string, Uint8Array>();
    for (const file of files) unpacked.set(file.path, await inflate(zipfile, file.entry));
    return unpacked;
  } finally {
    zipfile.close();
  }
}

function openZip(zip: Uint8Array): Promise<ZipFile> {
  const buffer = Buffer.from(zip.buffer, zip.byteOffset, zip.byteLength);
  const options = { lazyEntries: true, autoClose: false, decodeStrings: true, validateEntrySizes: true, strictFileNames: true };
  return new Promise((resolve, reject) => {
    yauzl.fromBuffer(buffer, options, (err, zipfile) => (err ? reject(translateZipError(err)) : resolve(zipfile)));
  });
}

/** Reads every central directory record and checks it; resolves with the file entries, in order. */
function readCentralDirectory(zipfile: ZipFile, limits: BundleLimits): Promise<FileEntry[]> {
  return new Promise((resolve, reject) => {
    const files: FileEntry[] = [];
    const seen = new Set<string>();
    let totalBytes = 0;
    zipfile.on('entry', (entry: Entry) => {
      try {
        const file = checkEntry(entry, limits, seen);
        if (file) {
          totalBytes += entry.uncompressedSize;
          if (totalBytes > limits.maxTotalBytes) {
            throw new WasmletError('bundle_too_large', `the bundle unpacks to more than ${limits.maxTotalBytes} bytes (reached at entry ${label(file.path)})`, {
              entry: file.path,
              limit: limits.maxTotalBytes,
            });
          }
          files.push(file);
        }
        zipfile.readEntry();
      } catch (err) {
        reject(err);
      }
    });
    zipfile.once('end', () => resolve(files));
    zipfile.once('error', (err: Error) => reject(translateZipError(err)));
    zipfile.readEntry();
  });
}

/** Checks one central directory record; undefined for a directory entry. */
function checkEntry(entry: Entry, limits: BundleLimits, seen: Set<string>): FileEntry | undefined {
  const name = entry.fileName;
  const path = entryPath(name);
  if (!path.ok) throw unsafe(name, path.reason);
  if (entry.generalPurposeBitFlag & encryptedFlag) throw unsafe(name, 'it is encrypted');
  const fileType = (entry.externalFileAttributes >>> 16) & fileTypeMask;
  if (fileType === symlinkType) throw unsafe(name, 'it is a symbolic link; only regular files are allowed');
  // 0: the archiver recorded no Unix mode (MS-DOS and most zip libraries), so a plain file.
  if (fileType !== 0 && fileType !== regularFileType && fileType !== directoryType) {
    throw unsafe(name, `it is not a regular file (mode 0o${(entry.externalFileAttributes >>> 16).toString(8)})`);
  }
  if (name.endsWith('/')) return undefined;
  if (fileType === directoryType) throw unsafe(name, 'it is a directory whose name does not end in "/"');
  if (path.path === '') throw unsafe(name, 'the name is empty');
  if (seen.has(path.path)) throw unsafe(name, 'another entry has the same path');
  seen.add(path.path);

  if (entry.compressionMethod !== storedMethod && entry.compressionMethod !== deflateMethod) {
    throw new WasmletError('bundle_invalid', `bundle entry ${label(name)} uses compression method ${entry.compressionMethod}; only stored (0) and deflate (8) are supported`, {
      entry: name,
    });
  }
  if (entry.uncompressedSize > limits.maxEntryBytes) {
    throw new WasmletError('bundle_too_large', `bundle entry ${label(name)} unpacks to ${entry.uncompressedSize} bytes; at most ${limits.maxEntryBytes} are allowed per entry`, {
      entry: name,
      limit: limits.maxEntryBytes,
    });
  }
  const ratio = entry.uncompressedSize / entry.compressedSize; // Infinity for bytes from nothing
  if (entry.uncompressedSize > compressionRatioFloorBytes && ratio > limits.maxCompressionRatio) {
    throw new WasmletError(
      'bundle_too_large',
      `bundle entry ${label(name)} is compressed ${Number.isFinite(ratio) ? Math.round(ratio) : 'infinitely'}:1; at most ${limits.maxCompressionRatio}:1 is allowed`,
      { entry: name, limit: limits.maxCompressionRatio },
    );
  }
  return { path: path.path, entry };
}

/**
 * Entries sharing compressed bytes are how the densest zip bombs multiply one kernel of data;
 * no archiver writes them. Each entry takes at least a local header plus its compressed size.
 */
function checkNoOverlap(files: readonly FileEntry[]): void {
  const byOffset = [...files].sort((a, b) => a.entry.relativeOffsetOfLocalHeader - b.entry.relativeOffsetOfLocalHeader);
  for (let i = 1; i < byOffset.length; i++) {
    const previous = byOffset[i - 1]!;
    const current = byOffset[i]!;
    const previousEnd = previous.entry.relativeOffsetOfLocalHeader + localHeaderBytes + previous.entry.compressedSize;
    if (current.entry.relativeOffsetOfLocalHeader < previousEnd) {
      throw unsafe(current.entry.fileName, `its data overlaps entry ${label(previous.entry.fileName)}`);
    }
  }
}

/**
 * Inflates one entry. Its declared size already passed every limit, so holding the stream to that
 * size enforces them all; yauzl checks the same (validateEntrySizes) and this does not rely on it.
 */
function inflate(zipfile: ZipFile, entry: Entry): Promise<Uint8Array> {
  return new Promise((resolve, reject) => {
    zipfile.openReadStream(entry, (err, stream) => {
      if (err) return reject(corrupt(entry, err));
      const chunks: Buffer[] = [];
      let size = 0;
      stream.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > entry.uncompressedSize) {
          stream.destroy();
          reject(inflatesPastHeader(entry));
          return;
        }
        chunks.push(chunk);
      });
      stream.on('error', (streamErr: Error) => {
        reject(/^too many bytes in the stream/.test(streamErr.message) ? inflatesPastHeader(entry, streamErr) : corrupt(entry, streamErr));
      });
      stream.on('end', () => {
        const data = Buffer.concat(chunks, size);
        if (size !== entry.uncompressedSize) return reject(corrupt(entry, new Error(`it unpacked to ${size} of its declared ${entry.uncompressedSize} bytes`)));
        if (crc32(data) !== entry.crc32) return reject(corrupt(entry, new Error('its CRC-32 does not match its data')));
        resolve(new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
      });
    });
  });
}

/** yauzl reports unsafe names, found while reading the central directory, as plain errors. */
const yauzlNameErrors: readonly (readonly [RegExp, string])[] = [
  [/^absolute path: (.*)$/s, 'absolute paths are not allowed'],
  [/^invalid relative path: (.*)$/s, '".." segments are not allowed'],
  [/^invalid characters in fileName: (.*)$/s, 'backslashes are not allowed'],
];

function translateZipError(err: Error): WasmletError {
  for (const [pattern, reason] of yauzlNameErrors) {
    const match = pattern.exec(err.message);
    if (match) return unsafe(match[1] ?? '', reason, err);
  }
  if (/strong encryption/.test(err.message)) return new WasmletError('bundle_unsafe', 'a bundle entry is encrypted', undefined, { cause: err });
  return new WasmletError('bundle_invalid', `the bundle is not a readable zip archive: ${err.message}`, undefined, { cause: err });
}

function unsafe(name: string, reason: string, cause?: unknown): WasmletError {
  return new WasmletError('bundle_unsafe', `bundle entry ${label(name)} is unsafe: ${reason}`, { entry: name }, { cause });
}

function corrupt(entry: Entry, cause: Error): WasmletError {
  return new WasmletError('bundle_invalid', `bundle entry ${label(entry.fileName)} is corrupt: ${cause.message}`, { entry: entry.fileName }, { cause });
}

function inflatesPastHeader(entry: Entry, cause?: Error): WasmletError {
  return new WasmletError('bundle_too_large', `bundle entry ${label(entry.fileName)} unpacks to more than the ${entry.uncompressedSize} bytes its header declares`, {
    entry: entry.fileName,
    limit: entry.uncompressedSize,
  }, { cause });
}

function label(name: string): string {
  return JSON.stringify(name.length <= maxNameCharsInMessages ? name : `${name.slice(0, maxNameCharsInMessages - 1)}…`);
}
