// `wasmlet queue send <queue>`: POST /v1/queues/{queue}/messages, one message (--data, --data-file)
// or one batch (--batch-file, a line per message); prints the new ids, one a line.
import { readFile } from 'node:fs/promises';
import type { BatchMessage } from '../../client/message-batch.js';
import { WasmletError } from '../../errors/wasmlet-error.js';
import { printJson, withClient, type CommandContext } from '../command-context.js';
import { readPayload } from '../read-payload.js';

export interface QueueSendOptions {
  /** The body as text. */
  readonly data?: string | undefined;
  /** The body: this file's bytes. */
  readonly dataFile?: string | undefined;
  /** One message per non-empty line of this file (JSON Lines, say), each line's text its body. */
  readonly batchFile?: string | undefined;
  readonly delayMs?: number | undefined;
  /** From repeated `--attribute k=v`. */
  readonly attribute?: Readonly<Record<string, string>> | undefined;
  readonly contentType?: string | undefined;
}

const contentTypeAttribute = 'content-type';
/** What the host records for a single message sent without a content type. */
const defaultContentType = 'application/octet-stream';

export function queueSendCommand(queue: string, options: QueueSendOptions, ctx: CommandContext): Promise<number> {
  return withClient(ctx, async (client) => {
    const given = [options.data, options.dataFile, options.batchFile].filter((v) => v !== undefined).length;
    if (given !== 1) throw new WasmletError('bad_request', 'give the message with exactly one of --data, --data-file or --batch-file');
    const attributes = options.attribute ?? {};
    if (options.contentType !== undefined && Object.hasOwn(attributes, contentTypeAttribute)) {
      throw new WasmletError('bad_request', 'use either --content-type or --attribute content-type=..., not both');
    }
    let result;
    if (options.batchFile !== undefined) {
      const batchAttributes = options.contentType === undefined ? attributes : { ...attributes, [contentTypeAttribute]: options.contentType };
      const bodies = await batchBodies(options.batchFile);
      result = await client.sendMessages(queue, bodies.map((body) => message(body, batchAttributes, options.delayMs)));
    } else if (Object.keys(attributes).length === 0) {
      // The raw form: the bytes as they are, the content type kept as the message's attribute.
      result = await client.sendMessage(queue, await readPayload(options), { contentType: options.contentType, delayMs: options.delayMs });
    } else {
      // Only a batch carries attributes: a batch of one, with the content type the raw form would have given it.
      const withType = { [contentTypeAttribute]: options.contentType ?? defaultContentType, ...attributes };
      result = await client.sendMessages(queue, [message(await readPayload(options), withType, options.delayMs)]);
    }
    if (ctx.json) printJson(ctx, result);
    else ctx.output.out(result.ids.map((id) => `${id}\n`).join(''));
  });
}

function message(body: Uint8Array | string, attributes: Readonly<Record<string, string>>, delayMs: number | undefined): BatchMessage {
  return { body, ...(Object.keys(attributes).length > 0 ? { attributes } : {}), ...(delayMs !== undefined ? { delayMs } : {}) };
}

/** Each non-blank line is one text body (a trailing CR dropped); blank lines separate nothing and are skipped. */
async function batchBodies(path: string): Promise<string[]> {
  const text = await readFile(path, 'utf8').catch((err: unknown) => {
    throw new WasmletError('bad_request', `cannot read --batch-file ${path}: ${(err as Error).message}`, { path }, { cause: err });
  });
  const bodies = text.split('\n').map((line) => line.replace(/\r$/, '')).filter((line) => line.trim() !== '');
  if (bodies.length === 0) throw new WasmletError('bad_request', `--batch-file ${path} has no messages (one body per line)`, { path });
  return bodies;
}
