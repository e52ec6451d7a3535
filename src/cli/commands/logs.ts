// `wasmlet logs <name> [--limit <n>] [--follow]`: GET /v1/functions/{name}/logs, or with --follow its
// server-sent events (the recent lines, then each new one) until Ctrl-C.
import { printJson, withClient, type CommandContext } from '../command-context.js';
import { logLine, logLines } from '../format/log-lines.js';

export interface LogsOptions {
  readonly limit?: number | undefined;
  readonly follow?: boolean | undefined;
  /** Ends a follow (tests); default: the first SIGINT or SIGTERM. */
  readonly until?: AbortSignal | undefined;
}

export function logsCommand(name: string, options: LogsOptions, ctx: CommandContext): Promise<number> {
  return withClient(ctx, async (client) => {
    if (options.follow) {
      const stop = options.until ? { signal: options.until, release: () => undefined } : stopOnSignal();
      try {
        const entries = client.followLogs(name, {
          limit: options.limit,
          signal: stop.signal,
          onDropped: (count) => ctx.output.err(`${count} log line(s) dropped: this client fell behind\n`),
        });
        // --json: one entry per line (the shape of the /logs entries), as they come.
        for await (const entry of entries) ctx.output.out(ctx.json ? `${JSON.stringify(entry)}\n` : `${logLine(entry)}\n`);
      } finally {
        stop.release();
      }
      return;
    }
    const result = await client.logs(name, { limit: options.limit });
    if (ctx.json) printJson(ctx, result);
    else ctx.output.out(logLines(result.logs));
  });
}

/** Ctrl-C (or a SIGTERM) ends the follow quietly, exit status 0, like `tail -f` piped on. */
function stopOnSignal(): { signal: AbortSignal; release: () => void } {
  const controller = new AbortController();
  const abort = () => controller.abort();
  process.once('SIGINT', abort);
  process.once('SIGTERM', abort);
  return {
    signal: controller.signal,
    release: () => {
      process.off('SIGINT', abort);
      process.off('SIGTERM', abort);
    },
  };
}
