// wasi:random from the host's CSPRNG; the insecure variants use it too (cheap enough, never predictable).
import { randomBytes } from 'node:crypto';

const randomU64 = (): bigint => randomBytes(8).readBigUInt64LE(0);
const bytes = (len: bigint): Uint8Array => new Uint8Array(randomBytes(Number(len)));

export const randomImports = {
  'wasi:random/random': { getRandomBytes: bytes, getRandomU64: randomU64 },
  'wasi:random/insecure': { getInsecureRandomBytes: bytes, getInsecureRandomU64: randomU64 },
  'wasi:random/insecure-seed': { insecureSeed: (): [bigint, bigint] => [randomU64(), randomU64()] },
};
