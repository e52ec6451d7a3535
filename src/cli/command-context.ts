// What every command gets (the global options and where to write), how an action gets it (`run`),
// and the wrapper that applies the failure rule.
import type { Command } from 'commander';
import { AdminClient } from '../client/admin-client.js';
import { processOutput, type Output } from './cli-output.js';
import { tokenFor } from './client-token.js';
import { exitFailure, exitOk, failureOf, reportFailure } from './failure.js';

export const defaultAdminUrl = 'http://127.0.0.1:8081';

export interface CommandContext {
  /** --admin-url, or WASMLET_ADMIN_URL. */
  readonly adminUrl: string;
  /** --token, or WASMLET_TOKEN. */
  readonly token?: string | undefined;
  /** --data-dir, or WASMLET_DATA_DIR: a local host's data dir, whose generated token is sent when `token` is not given (client-token.ts). */
  readonly dataDir?: string | undefined;
  /** --json: the API's JSON on stdout, failures as error JSON on stdout. */
  readonly json: boolean;
  readonly output: Output;
}

/** Runs a command body; any throw becomes the one failure report. Resolves with the exit status. */
export async function runCommand(ctx: CommandContext, body: () => Promise<number | void>): Promise<number> {
  try {
    return (await body()) ?? exitOk;
  } catch (err) {
    reportFailure(ctx.output, ctx.json, failureOf(err));
    return exitFailure;
  }
}

/** runCommand with an AdminClient for the context's URL and token (or the local host's generated one), closed afterwards. */
export function withClient(ctx: CommandContext, body: (client: AdminClient) => Promise<number | void>): Promise<number> {
  return runCommand(ctx, async () => {
    const client = new AdminClient({ url: ctx.adminUrl, token: await tokenFor(ctx, ctx.adminUrl) });
    try {
      return await body(client);
    } finally {
      await client.close();
    }
  });
}

/** `--json` output: one line, the value exactly as the API returned it. */
export function printJson(ctx: CommandContext, value: unknown): void {
  ctx.output.out(`${JSON.stringify(value)}\n`);
}

/** A command's action: its CommandContext from the global options (main.ts), its exit status the process's. */
export async function run(command: Command, body: (ctx: CommandContext) => Promise<number>): Promise<void> {
  const globals = command.optsWithGlobals<{ adminUrl: string; token?: string; dataDir: string; json: boolean }>();
  // An empty WASMLET_TOKEN means "no token", not an empty one; an empty WASMLET_DATA_DIR the default.
  const ctx: CommandContext = { adminUrl: globals.adminUrl, token: globals.token || undefined, dataDir: globals.dataDir || '.wasmlet', json: globals.json, output: processOutput };
  process.exitCode = await body(ctx);
}
