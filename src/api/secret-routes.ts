// The secret endpoints of the admin API. A value goes in and never comes out: listings show names
// and dates, and every error names the secret, never its value.
//   PUT    /v1/secrets/{name}   the raw body is the value (UTF-8, at most 64 KiB): 201 created, 200 replaced
//   GET    /v1/secrets          names, dates and the functions that read each one
//   DELETE /v1/secrets/{name}   refused (409 secret_in_use) while a deployed function reads it
import type { Hono } from 'hono';
import type { Deployer } from '../deploy/deployer.js';
import { WasmletError } from '../errors/wasmlet-error.js';
import { secretReferencesOf } from '../manifest/instance-grants.js';
import type { Manifest } from '../manifest/manifest.js';
import type { Registry } from '../registry/registry.js';
import { isRedactable, maxSecretValueBytes, minRedactedChars, parseSecretName, parseSecretValue } from '../secrets/secret-input.js';
import type { SecretInfo, SecretStore } from '../secrets/secret-store.js';
import { readBodyLimited } from './read-body.js';

export interface SecretRouteDeps {
  readonly secrets: SecretStore;
  readonly registry: Registry;
  /** Deletes run between deploys, so a deploy checking a secret cannot activate after its deletion. */
  readonly deployer: Pick<Deployer, 'exclusive'>;
}

/** A function reading a secret, and the `[config]` key it reads it under. */
export interface SecretUse {
  readonly function: string;
  readonly key: string;
}

/** `GET /v1/secrets`: a secret's metadata and who reads it. */
export interface SecretListing extends SecretInfo {
  readonly usedBy: readonly SecretUse[];
}

export function mountSecretRoutes(app: Hono, deps: SecretRouteDeps): void {
  app.put('/v1/secrets/:name', async (c) => {
    const name = parseSecretName(c.req.param('name'));
    const read = await readBodyLimited(c.req.raw, maxSecretValueBytes);
    if (!read.ok) throw new WasmletError('secret_too_large', `a secret value is at most ${maxSecretValueBytes} bytes`, { maxBytes: maxSecretValueBytes });
    const value = parseSecretValue(read.body);
    const { info, created } = deps.secrets.set(name, value);
    // `redacted: false` tells the client to warn: a value this short is left in logs (secret-input.ts).
    return c.json({ secret: info, created, redacted: isRedactable(value), minRedactedChars }, created ? 201 : 200);
  });

  app.get('/v1/secrets', (c) => {
    const uses = usesByName(deps.registry);
    const secrets: SecretListing[] = deps.secrets.list().map((info) => ({ ...info, usedBy: uses.get(info.name) ?? [] }));
    return c.json({ secrets });
  });

  app.delete('/v1/secrets/:name', (c) =>
    deps.deployer.exclusive(() => {
      const name = parseSecretName(c.req.param('name'));
      if (!deps.secrets.has(name)) throw new WasmletError('secret_not_found', `no secret named ${name}`, { name });
      // Refused rather than failing those functions at their next call: the operator sees who
      // depends on it now, and every deployed function's references keep resolving.
      const users = usesByName(deps.registry).get(name) ?? [];
      if (users.length > 0) {
        const list = users.map((u) => `${u.function} (config key ${JSON.stringify(u.key)})`).join(', ');
        throw new WasmletError('secret_in_use', `secret ${name} is read by ${list}: deploy them without it (or delete them) first`, { name, usedBy: users });
      }
      deps.secrets.delete(name);
      return c.json({ deleted: name });
    }),
  );
}

/** Who reads each secret: active functions, and published versions (Lambda's `name:N`), which run with their own manifest. */
function usesByName(registry: Registry): Map<string, SecretUse[]> {
  const uses = new Map<string, SecretUse[]>();
  const add = (user: string, manifest: Manifest) => {
    for (const [key, secret] of secretReferencesOf(manifest)) {
      const list = uses.get(secret) ?? [];
      list.push({ function: user, key });
      uses.set(secret, list);
    }
  };
  for (const fn of registry.list()) {
    add(fn.name, fn.manifest);
    for (const version of registry.published(fn.name)) add(`${fn.name}:${version.version}`, registry.publishedFunction(fn.name, version.version)!.manifest);
  }
  return uses;
}
