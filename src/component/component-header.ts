// Tells a component from a core module (or anything else) by the binary header, before any tool runs.

const wasmMagic = [0x00, 0x61, 0x73, 0x6d];

export type BinaryKind = 'component' | 'core-module' | 'not-wasm';

export function binaryKind(bytes: Uint8Array): BinaryKind {
  if (bytes.length < 8 || wasmMagic.some((b, i) => bytes[i] !== b)) return 'not-wasm';
  // Version 1, layer 0 is a core module; the component model uses layer 1 (bytes 6..7 = 01 00).
  if (bytes[6] === 0x01 && bytes[7] === 0x00) return 'component';
  if (bytes[4] === 0x01 && bytes[5] === 0x00 && bytes[6] === 0x00 && bytes[7] === 0x00) return 'core-module';
  return 'not-wasm';
}
