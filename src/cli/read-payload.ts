// The body a command sends, from --data (text) or --data-file (bytes as they are): `invoke`, `queue send`.
import { readFile } from 'node:fs/promises';
import { WasmletError } from '../errors/wasmlet-error.js';

export interface PayloadOptions {
  readonly data?: string | undefined;
  readonly dataFile?: string | undefined;
}

/** Empty when neither is given; both is a bad request (commander also refuses it, as a usage error). */
export async function readPayload(options: PayloadOptions): Promise<Uint8Array | string> {
  if (options.data !== undefined && options.dataFile !== undefined) {
    throw new WasmletError('bad_request', 'use either --data or --data-file, not both');
  }
  if (options.dataFile === undefined) return options.data ?? '';
  const path = options.dataFile;
  return new Uint8Array(
    await readFile(path).catch((err: unknown) => {
      throw new WasmletError('bad_request', `cannot read --data-file ${path}: ${(err as Error).message}`, { path }, { cause: err });
    }),
  );
}
