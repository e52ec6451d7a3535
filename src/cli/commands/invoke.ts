// `wasmlet invoke <name>`: POST /v1/functions/{name}/invoke; the response body goes to stdout as is.
import { readFile } from 'node:fs/promises';
import { WasmletError } from '../../errors/wasmlet-error.js';
import { printJson, withClient, type CommandContext } from '../command-context.js';
import { exitFailure, failureLine } from '../failure.js';
import { invokeFailure } from '../format/invoke-failure.js';

export interface InvokeOptions {
  /** The payload as text (usually JSON). */
  readonly data?: string | undefined;
  /** Read the payload from this file (bytes as they are). */
  readonly dataFile?: string | undefined;
}

/** Exit 1 when the status is >= 400: the failure line on stderr, or with --json the envelope (its status says why). */
export function invokeCommand(name: string, options: InvokeOptions, ctx: CommandContext): Promise<number> {
  return withClient(ctx, async (client) => {
    const result = await client.invoke(name, await payloadOf(options));
    const failure = invokeFailure(name, result);
    if (ctx.json) {
      const { status, headers, requestId } = result;
      printJson(ctx, { status, headers, body: new TextDecoder().decode(result.body), requestId });
    } else {
      if (!failure || failure.bodyIsOutput) ctx.output.out(result.body);
      if (failure) ctx.output.err(`${failureLine(failure)}\n`);
    }
    return failure ? exitFailure : undefined;
  });
}

async function payloadOf(options: InvokeOptions): Promise<Uint8Array | string> {
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
