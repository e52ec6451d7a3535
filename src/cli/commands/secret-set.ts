// `wasmlet secret set <name>`: PUT /v1/secrets/{name} with the value read from stdin.
import { parseSecretName } from '../../secrets/secret-input.js';
import { readSecretValue, type SecretInput } from '../read-secret-value.js';
import { printJson, withClient, type CommandContext } from '../command-context.js';

export interface SecretSetDeps {
  /** Where the value comes from: process.stdin by default. */
  readonly input: SecretInput;
}

/** `created secret STRIPE_KEY` / `updated secret STRIPE_KEY`; a warning on stderr when the value is too short to be masked in logs. */
export function secretSetCommand(name: string, ctx: CommandContext, deps: SecretSetDeps = { input: process.stdin }): Promise<number> {
  return withClient(ctx, async (client) => {
    parseSecretName(name); // before the value is typed or read, not after
    const value = await readSecretValue(name, deps.input, (text) => ctx.output.err(text));
    const result = await client.setSecret(name, value);
    value.fill(0); // no copy of it left in this buffer for the rest of the process
    if (!result.redacted) {
      ctx.output.err(`wasmlet: warning: ${name} is shorter than ${result.minRedactedChars} characters, so it is not masked in function logs\n`);
    }
    if (ctx.json) printJson(ctx, result);
    else ctx.output.out(`${result.created ? 'created' : 'updated'} secret ${result.secret.name}\n`);
  });
}
