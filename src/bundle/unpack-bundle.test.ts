// unpackBundle against hostile zips: every rejection, built in memory (fflate, zlib, byte patches).
import assert from 'node:assert/strict';
import { crc32, deflateRawSync } from 'node:zlib';
import { describe, test } from 'node:test';
import { zipSync, type Zippable } from 'fflate';
import { WasmletError } from '../errors/wasmlet-error.js';
import type { ErrorCode } from '../errors/error-catalog.js';
import { defaultBundleLimits, type BundleLimits } from './bundle-limits.js';
import { unpackBundle } from './unpack-bundle.js';

const encoder = new TextEncoder();
const text = (s: string) => encoder.encode(s);
const unixAttrs = (mode: number) => ((mode << 16) >>> 0);
const MiB = 1024 * 1024;

async function rejection(zip: Uint8Array, code: ErrorCode, message: RegExp, limits?: BundleLimits): Promise<WasmletError> {
  let caught: unknown;
  try {
    await unpackBundle(zip, limits);
  } catch (err) {
    caught = err;
  }
  assert.ok(caught instanceof WasmletError, `expected a WasmletError, got ${String(caught)}`);
  assert.equal(caught.code, code, caught.message);
  assert.match(caught.message, message);
  return caught;
}

async function assertRejects(zip: Uint8Array, code: ErrorCode, message: RegExp, limits?: BundleLimits): Promise<void> {
  await rejection(zip, code, message, limits);
}

function flipByte(view: Buffer, offset: number): void {
  view.writeUInt8(view.readUInt8(offset) ^ 0xff, offset);
}

// Byte surgery on zips, to make the archives no honest zip tool writes. Offsets are from APPNOTE.TXT.
const centralHeader = { flags: 8, method: 10, uncompressedSize: 24, nameLength: 28, localHeaderOffset: 42, name: 46 } as const;
const localHeader = { uncompressedSize: 22 } as const;

/** Offsets of the central directory records, found through the end-of-central-directory record. */
function centralRecords(zip: Uint8Array): number[] {
  const view = Buffer.from(zip.buffer, zip.byteOffset, zip.byteLength);
  const eocd = view.length - 22; // no archive comment
  assert.equal(view.readUInt32LE(eocd), 0x06054b50);
  const records: number[] = [];
  let offset = view.readUInt32LE(eocd + 16);
  for (let i = 0; i < view.readUInt16LE(eocd + 10); i++) {
    assert.equal(view.readUInt32LE(offset), 0x02014b50);
    records.push(offset);
    offset += 46 + view.readUInt16LE(offset + 28) + view.readUInt16LE(offset + 30) + view.readUInt16LE(offset + 32);
  }
  return records;
}

function patch(zip: Uint8Array, apply: (view: Buffer, records: number[]) => void): Uint8Array {
  const copy = Uint8Array.from(zip);
  apply(Buffer.from(copy.buffer), centralRecords(copy));
  return copy;
}

/**
 * A one-entry deflated zip written by hand, for entries too big to build quickly with fflate:
 * zlib deflates 300 MiB of zeros at level 9 to about 300 KB in well under a second.
 */
function handMadeZip(name: string, data: Uint8Array): Uint8Array {
  const compressed = deflateRawSync(data, { level: 9 });
  const nameBytes = text(name);
  const local = Buffer.alloc(30);
  local.writeUInt32LE(0x04034b50, 0);
  local.writeUInt16LE(20, 4);
  local.writeUInt16LE(8, 8);
  local.writeUInt32LE(crc32(data), 14);
  local.writeUInt32LE(compressed.length, 18);
  local.writeUInt32LE(data.length, 22);
  local.writeUInt16LE(nameBytes.length, 26);
  const central = Buffer.alloc(46);
  central.writeUInt32LE(0x02014b50, 0);
  central.writeUInt16LE(20, 4);
  central.writeUInt16LE(20, 6);
  central.writeUInt16LE(8, 10);
  central.writeUInt32LE(crc32(data), 16);
  central.writeUInt32LE(compressed.length, 20);
  central.writeUInt32LE(data.length, 24);
  central.writeUInt16LE(nameBytes.length, 28);
  const centralOffset = local.length + nameBytes.length + compressed.length;
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(1, 8);
  end.writeUInt16LE(1, 10);
  end.writeUInt32LE(central.length + nameBytes.length, 12);
  end.writeUInt32LE(centralOffset, 16);
  return Buffer.concat([local, nameBytes, compressed, central, nameBytes, end]);
}

describe('unpackBundle unpacks', () => {
  test('files, stored or deflated, with their exact bytes; directory entries skipped', async () => {
    const random = Uint8Array.from({ length: 5000 }, (_, i) => (i * 7919) % 251);
    const files = await unpackBundle(
      zipSync({
        'wasmlet.toml': text('name = "a"'),
        'lib/': new Uint8Array(0),
        'lib/x.wasm': [random, { level: 0 }],
        'lib/deep/y.txt': [text('y'.repeat(1000)), { level: 9 }],
        'empty.txt': new Uint8Array(0),
        'dir-with-mode/': [new Uint8Array(0), { os: 3, attrs: unixAttrs(0o040755) }],
        'script.sh': [text('#!/bin/sh'), { os: 3, attrs: unixAttrs(0o100755) }],
      }),
    );
    assert.deepEqual([...files.keys()].sort(), ['empty.txt', 'lib/deep/y.txt', 'lib/x.wasm', 'script.sh', 'wasmlet.toml']);
    assert.deepEqual(files.get('lib/x.wasm'), random);
    assert.equal(new TextDecoder().decode(files.get('lib/deep/y.txt')), 'y'.repeat(1000));
    assert.equal(files.get('empty.txt')?.length, 0);
  });

  test('names normalised: "./a//b" is "a/b"; a "./" directory entry is the root', async () => {
    const files = await unpackBundle(zipSync({ './': new Uint8Array(0), './a//b.txt': text('b') }));
    assert.deepEqual([...files.keys()], ['a/b.txt']);
  });

  test('a small, very compressible file: the ratio applies only above its floor', async () => {
    const files = await unpackBundle(zipSync({ 'spaces.txt': [new Uint8Array(512 * 1024).fill(32), { level: 9 }] }));
    assert.equal(files.get('spaces.txt')?.length, 512 * 1024);
  });

  test('exactly as many entries as the limit', async () => {
    const zippable: Zippable = {};
    for (let i = 0; i < defaultBundleLimits.maxEntries; i++) zippable[`f${i}`] = text(String(i));
    assert.equal((await unpackBundle(zipSync(zippable))).size, defaultBundleLimits.maxEntries);
  });
});

describe('unpackBundle rejects as bundle_invalid', () => {
  test('bytes that are not a zip', () => assertRejects(text('this is not a zip archive at all'), 'bundle_invalid', /^the bundle is not a readable zip archive: /));

  test('an empty upload', () => assertRejects(new Uint8Array(0), 'bundle_invalid', /not a readable zip archive/));

  test('a truncated zip', () => {
    const zip = zipSync({ 'a.txt': text('hello'), 'b.txt': text('world') });
    return assertRejects(zip.subarray(0, zip.length - 30), 'bundle_invalid', /not a readable zip archive/);
  });

  test('an entry whose stored bytes were altered (CRC-32 mismatch)', () => {
    const zip = zipSync({ 'a.txt': [text('hello world'), { level: 0 }] });
    const corrupted = patch(zip, (view) => flipByte(view, 30 + 'a.txt'.length)); // first data byte, after the local header and name
    return assertRejects(corrupted, 'bundle_invalid', /^bundle entry "a.txt" is corrupt: its CRC-32 does not match its data$/);
  });

  test('an entry whose deflate stream is garbage', () => {
    const zip = zipSync({ 'a.txt': [text('hello world, hello world, hello world'), { level: 9 }] });
    const corrupted = patch(zip, (view) => view.fill(0xff, 30 + 'a.txt'.length, 30 + 'a.txt'.length + 4));
    return assertRejects(corrupted, 'bundle_invalid', /^bundle entry "a.txt" is corrupt: /);
  });

  test('an unsupported compression method', () => {
    const zip = patch(zipSync({ 'a.txt': text('a') }), (view, [record]) => view.writeUInt16LE(12, record! + centralHeader.method));
    return assertRejects(zip, 'bundle_invalid', /^bundle entry "a.txt" uses compression method 12; only stored \(0\) and deflate \(8\) are supported$/);
  });
});

describe('unpackBundle rejects as bundle_unsafe', () => {
  for (const [name, reason] of [
    ['../../evil.txt', /^bundle entry "..\/..\/evil.txt" is unsafe: ".." segments are not allowed$/],
    ['lib/../../evil.txt', /".." segments are not allowed/],
    ['/etc/evil', /^bundle entry "\/etc\/evil" is unsafe: absolute paths are not allowed$/],
    ['C:/evil.txt', /^bundle entry "C:\/evil.txt" is unsafe: absolute paths are not allowed$/],
    ['lib\\evil.txt', /^bundle entry "lib\\\\evil.txt" is unsafe: backslashes are not allowed$/],
    ['bad\u0001namé', /^bundle entry "bad\\u0001namé" is unsafe: the name contains control characters$/], // UTF-8: CP437 names have no control characters
  ] as const) {
    test(`the path ${JSON.stringify(name)}`, async () => {
      const err = await rejection(zipSync({ 'wasmlet.toml': text('x'), [name]: text('x') }), 'bundle_unsafe', reason);
      assert.equal(err.details?.['entry'], name);
    });
  }

  test('a file with an empty name', () => assertRejects(zipSync({ '': text('x') }), 'bundle_unsafe', /^bundle entry "" is unsafe: the name is empty$/));

  test('a symbolic link', () =>
    assertRejects(
      zipSync({ 'wasmlet.toml': text('x'), link: [text('/etc/passwd'), { os: 3, attrs: unixAttrs(0o120777) }] }),
      'bundle_unsafe',
      /^bundle entry "link" is unsafe: it is a symbolic link; only regular files are allowed$/,
    ));

  test('a FIFO, or any other file that is not regular', () =>
    assertRejects(zipSync({ fifo: [new Uint8Array(0), { os: 3, attrs: unixAttrs(0o010644) }] }), 'bundle_unsafe', /^bundle entry "fifo" is unsafe: it is not a regular file \(mode 0o10644\)$/));

  test('a directory mode on a name without a trailing "/"', () =>
    assertRejects(zipSync({ sneaky: [text('data'), { os: 3, attrs: unixAttrs(0o040755) }] }), 'bundle_unsafe', /"sneaky" is unsafe: it is a directory whose name does not end in "\/"/));

  test('the same name twice', () => {
    const zip = patch(zipSync({ 'a.txt': text('first'), 'b.txt': text('second') }), (view, records) => {
      view.write('a', records[1]! + centralHeader.name, 'latin1');
    });
    return assertRejects(zip, 'bundle_unsafe', /^bundle entry "a.txt" is unsafe: another entry has the same path$/);
  });

  test('two spellings of the same path', () =>
    assertRejects(zipSync({ 'a.txt': text('first'), './a.txt': text('second') }), 'bundle_unsafe', /^bundle entry ".\/a.txt" is unsafe: another entry has the same path$/));

  test('an encrypted entry', () => {
    const zip = patch(zipSync({ 'secret.txt': text('s') }), (view, [record]) => view.writeUInt16LE(view.readUInt16LE(record! + centralHeader.flags) | 0x1, record! + centralHeader.flags));
    return assertRejects(zip, 'bundle_unsafe', /^bundle entry "secret.txt" is unsafe: it is encrypted$/);
  });

  test('an entry with strong encryption', () => {
    const zip = patch(zipSync({ 'secret.txt': text('s') }), (view, [record]) => view.writeUInt16LE(0x41, record! + centralHeader.flags));
    return assertRejects(zip, 'bundle_unsafe', /^a bundle entry is encrypted$/);
  });

  test('entries whose data overlap (one deflate kernel shared by many entries)', () => {
    const zip = patch(zipSync({ 'a.txt': text('aaaa'), 'b.txt': text('bbbb') }), (view, records) => {
      view.writeUInt32LE(view.readUInt32LE(records[0]! + centralHeader.localHeaderOffset), records[1]! + centralHeader.localHeaderOffset);
    });
    return assertRejects(zip, 'bundle_unsafe', /^bundle entry "b.txt" is unsafe: its data overlaps entry "a.txt"$/);
  });
});

describe('unpackBundle rejects as bundle_too_large', () => {
  test('more entries than the limit, before reading any of them', () => {
    const zippable: Zippable = {};
    for (let i = 0; i <= defaultBundleLimits.maxEntries; i++) zippable[`f${i}`] = text(String(i));
    return assertRejects(zipSync(zippable), 'bundle_too_large', /^the bundle has 65 entries; at most 64 are allowed$/);
  });

  test('a 300 MiB zip bomb, from its declared size, before inflating anything', async () => {
    const bomb = handMadeZip('bomb.bin', new Uint8Array(300 * MiB));
    assert.ok(bomb.length < MiB, `the bomb is ${bomb.length} bytes`);
    const err = await rejection(bomb, 'bundle_too_large', /^bundle entry "bomb.bin" unpacks to 314572800 bytes; at most 67108864 are allowed per entry$/);
    assert.deepEqual(err.details, { entry: 'bomb.bin', limit: defaultBundleLimits.maxEntryBytes });
  });

  test('a compression ratio over the limit', () =>
    assertRejects(handMadeZip('zeros.bin', new Uint8Array(16 * MiB)), 'bundle_too_large', /^bundle entry "zeros.bin" is compressed \d+:1; at most 200:1 is allowed$/));

  test('limits checked from the central directory before any entry is inflated', () => {
    // The first entry is corrupt; if anything were inflated before the checks, that would be the error.
    const zip = patch(zipSync({ 'a.txt': [text('hello world'), { level: 0 }], 'zeros.bin': [new Uint8Array(16 * MiB), { level: 9 }] }), (view) =>
      flipByte(view, 30 + 'a.txt'.length),
    );
    return assertRejects(zip, 'bundle_too_large', /"zeros.bin" is compressed/);
  });

  test('a total size over the limit, naming the entry that crossed it', () => {
    const limits = { ...defaultBundleLimits, maxTotalBytes: 2500 };
    const zip = zipSync({ 'a.bin': new Uint8Array(1000).fill(1), 'b.bin': new Uint8Array(1000).fill(2), 'c.bin': new Uint8Array(1000).fill(3) });
    return assertRejects(zip, 'bundle_too_large', /^the bundle unpacks to more than 2500 bytes \(reached at entry "c.bin"\)$/, limits);
  });

  test('a header that lies about the unpacked size: inflating stops at the declared size', async () => {
    const honest = zipSync({ 'liar.bin': [new Uint8Array(4 * MiB), { level: 9 }] });
    const lying = patch(honest, (view, [record]) => {
      view.writeUInt32LE(1000, record! + centralHeader.uncompressedSize);
      view.writeUInt32LE(1000, view.readUInt32LE(record! + centralHeader.localHeaderOffset) + localHeader.uncompressedSize);
    });
    const err = await rejection(lying, 'bundle_too_large', /^bundle entry "liar.bin" unpacks to more than the 1000 bytes its header declares$/);
    assert.deepEqual(err.details, { entry: 'liar.bin', limit: 1000 });
  });
});
