// `wasmlet invoke <name>`: POST /v1/functions/{name}/invoke; the response body goes to stdout as is.
// With --async the host stores the event and answers at once: the invocation id goes to stdout.
import { WasmletError } from '../../errors/wasmlet-error.js';
import { printJson, withClient, type CommandContext } from '../command-context.js';
import { exitFailure, failureLine } from '../failure.js';
import { asyncQueuedLine } from '../format/invocation-lines.js';
import { invokeFailure } from '../format/invoke-failure.js';
import { readPayload } from '../read-payload.js';

export interface InvokeOptions {
  /** The payload as text (usually JSON). */
  readonly data?: string | undefined;
  /** Read the payload from this file (bytes as they are). */
  readonly dataFile?: string | undefined;
  /** Queue the invocation as an event (202 at once) instead of waiting for the response. */
  readonly async?: boolean | undefined;
  /** With `async`: a key the host deduplicates submissions by, per function, for 24 hours. */
  readonly idempotencyKey?: string | undefined;
}

/** Exit 1 when the status is >= 400: the failure line on stderr, or with --json the envelope (its status says why). */
export function invokeCommand(name: string, options: InvokeOptions, ctx: CommandContext): Promise<number> {
  return withClient(ctx, async (client) => {
    if (options.idempotencyKey !== undefined && !options.async) {
      throw new WasmletError('bad_request', '--idempotency-key needs --async: only async invocations are deduplicated');
    }
    if (options.async) {
      const queued = await client.invokeAsync(name, await readPayload(options), { idempotencyKey: options.idempotencyKey });
      if (ctx.json) printJson(ctx, queued);
      else ctx.output.out(`${asyncQueuedLine(queued)}\n`);
      return;
    }
    const result = await client.invoke(name, await readPayload(options));
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
