// The TOML form of wasmlet.toml as zod schemas: the single source of truth for what a manifest may
// say. parse-manifest.ts validates with it and manifest-json-schema.ts publishes it for editors.
// Every check carries its own message, phrased to follow the key path ("name must ...").
import * as z from 'zod';
import { buildLanguages, httpMethods } from './manifest.js';
import {
  defaultMaxBodyBytes,
  defaultMemoryMb,
  defaultTimeoutMs,
  functionNamePattern,
  maxBuildCommandChars,
  maxComponentPathChars,
  maxConfigEntries,
  maxConfigKeyChars,
  maxEnvEntries,
  defaultInstanceReuse,
  maxHttpRoutes,
  maxInstanceReuse,
  maxMaxBodyBytes,
  maxMemoryMb,
  maxOutboundHostChars,
  maxOutboundHosts,
  maxRouteChars,
  maxTimeoutMs,
  minInstanceReuse,
  minMaxBodyBytes,
  minMemoryMb,
  minTimeoutMs,
} from './manifest-bounds.js';
import { triggerShape } from './trigger-schema.js';

/** "GET" -> "[Gg][Ee][Tt]": JSON Schema patterns take no flags, and methods are case-insensitive on input. */
function caseInsensitive(word: string): string {
  return [...word].map((c) => `[${c.toUpperCase()}${c.toLowerCase()}]`).join('');
}

/** One route segment; "." and ".." are refused so a route never differs from its normalised form. */
const routeSegment = String.raw`(?!\.\.?(?:/|$))[A-Za-z0-9._~-]+`;
const routePattern = new RegExp(String.raw`^/(?:(?:${routeSegment}/)*(?:${routeSegment}|\*))?$`);

const hostLabel = '[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?';
const port = '(?:6553[0-5]|655[0-2][0-9]|65[0-4][0-9]{2}|6[0-4][0-9]{3}|[1-5][0-9]{4}|[1-9][0-9]{0,3})';
/** "api.example.com", "*.example.com", "https://api.example.com:443"; outbound calls are HTTP only. */
const outboundHostPattern = new RegExp(`^(?:https?://)?(?:\\*\\.)?${hostLabel}(?:\\.${hostLabel})*(?::${port})?$`);

const countKeys = (value: unknown): number => Object.keys(value as object).length;
const countItems = (value: unknown): number => (value as readonly unknown[]).length;

const nameSchema = z
  .string()
  .regex(functionNamePattern, { error: 'must be 1 to 63 lowercase letters, digits or "-", starting with a letter' })
  .meta({ description: 'The function name: unique on the host, used in admin URLs, logs and queue names.', examples: ['hello'] });

const componentSchema = z
  .string()
  .min(1, { error: 'must not be empty' })
  .max(maxComponentPathChars, { error: `must be at most ${maxComponentPathChars} characters long` })
  .regex(/^[^/]/, { error: 'must be a path relative to the bundle root, without a leading "/"' })
  .regex(/^[^\\]*$/, { error: 'must use "/" as its separator, not "\\"' })
  .regex(/^(?![A-Za-z]:)/, { error: 'must not start with a drive letter' })
  .regex(/^(?!(?:.*\/)?\.\.(?:\/|$))/, { error: 'must not contain ".." segments' })
  .regex(/^[^\u0000-\u001f\u007f]*$/, { error: 'must not contain control characters' })
  .regex(/^(?!(?:\.?\/)*\.?$)(?!.*\/$)/, { error: 'must name a file, not a directory' })
  .meta({ description: 'Path of the WebAssembly component inside the bundle, relative to its root.', examples: ['hello.wasm'] });

const methodSchema = z
  .string()
  .regex(new RegExp(`^(?:${httpMethods.map(caseInsensitive).join('|')})$`), { error: `must be one of ${httpMethods.join(', ')}` })
  .meta({ description: 'An HTTP method, case-insensitive.' });

const httpRouteSchema = z
  .strictObject({
    route: z
      .string()
      .regex(/^\//, { error: 'must start with "/"' })
      .max(maxRouteChars, { error: `must be at most ${maxRouteChars} characters long` })
      .regex(routePattern, { error: 'must be "/"-separated segments of letters, digits and "._~-", optionally ending in "/*"' })
      .meta({ description: 'Path served by the function: exact ("/hello") or a prefix ending in "/*" ("/api/*").', examples: ['/hello', '/api/*'] }),
    methods: z
      .array(methodSchema)
      .min(1, { error: 'must not be empty; leave methods out to accept any method' })
      .optional()
      .meta({ description: 'Methods the route accepts; any method when left out.', examples: [['GET', 'POST']] }),
  })
  .meta({ description: 'An HTTP route served by the function.' });

const envSchema = z
  .record(z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, { error: 'must be letters, digits and "_", not starting with a digit' }), z.string())
  .refine((env) => countKeys(env) <= maxEnvEntries, { error: (iss) => `must have at most ${maxEnvEntries} entries, got ${countKeys(iss.input)}` })
  .default({})
  .meta({ description: "The guest's environment variables; it sees nothing else of the host's environment.", maxProperties: maxEnvEntries });

const configSchema = z
  .record(
    z
      .string()
      .min(1, { error: 'must not be empty' })
      .max(maxConfigKeyChars, { error: `must be at most ${maxConfigKeyChars} characters long` }),
    z.string(),
  )
  .refine((config) => countKeys(config) <= maxConfigEntries, { error: (iss) => `must have at most ${maxConfigEntries} entries, got ${countKeys(iss.input)}` })
  .default({})
  .meta({ description: 'Values the guest reads through the config host import.', maxProperties: maxConfigEntries });

const limitsSchema = z
  .strictObject({
    timeout_ms: z
      .int()
      .min(minTimeoutMs)
      .max(maxTimeoutMs)
      .default(defaultTimeoutMs)
      .meta({ description: 'Wall-clock deadline of one invocation, in milliseconds; the instance is killed when it passes.' }),
    memory_mb: z
      .int()
      .min(minMemoryMb)
      .max(maxMemoryMb)
      .default(defaultMemoryMb)
      .meta({ description: 'Largest linear memory the guest may grow to, in MiB.' }),
    max_body_bytes: z
      .int()
      .min(minMaxBodyBytes)
      .max(maxMaxBodyBytes)
      .default(defaultMaxBodyBytes)
      .meta({ description: 'Largest request body the function accepts, in bytes; larger requests get 413.' }),
  })
  .prefault({})
  .meta({ description: 'Resource limits of each invocation.' });

/**
 * Its own table, not [limits]: a limit caps what an invocation may use, and raising one costs only
 * resources; instance_reuse relaxes isolation, and deserves to stand out in a review.
 */
const runtimeSchema = z
  .strictObject({
    instance_reuse: z
      .int()
      .min(minInstanceReuse)
      .max(maxInstanceReuse)
      .default(defaultInstanceReuse)
      .meta({
        description:
          'Invocations one instance may serve before it is dropped. 1 (the default) = a fresh instance for every invocation. ' +
          'With N > 1, everything the guest keeps (globals, heap, caches, secrets it read) persists across up to N invocations ' +
          'of this function (never of another function); an instance whose call failed is never reused.',
      }),
    init_snapshot: z
      .boolean()
      .default(false)
      .meta({
        description:
          'Run the guest\'s initialisation (_initialize: Go\'s runtime, .NET\'s) once at deploy and start every instance from the ' +
          'resulting memory and globals. Each instance is still fresh and isolated, but what init computed is shared by all of them: ' +
          'the environment it read, and random seeds it drew (map hash seeds, math/rand). Init may only read the environment, ' +
          'clocks and random bytes; anything else refuses the deploy (snapshot_refused).',
      }),
  })
  .prefault({})
  .meta({ description: 'How the host runs instances of the function.' });

const allowedOutboundHostsSchema = z
  .array(
    z
      .string()
      .max(maxOutboundHostChars, { error: `must be at most ${maxOutboundHostChars} characters long` })
      .regex(outboundHostPattern, { error: 'must be a host ("api.example.com", "*.example.com"), optionally with an http(s) scheme and a port' })
      .meta({ description: 'A host the guest may call.', examples: ['api.example.com', '*.example.com', 'https://api.example.com:443'] }),
  )
  .max(maxOutboundHosts, { error: (iss) => `must have at most ${maxOutboundHosts} entries, got ${countItems(iss.input)}` })
  .default([])
  .meta({ description: 'Hosts the guest may reach with outbound HTTP; none when left out.' });

const buildSchema = z
  .strictObject({
    language: z
      .enum(buildLanguages, { error: `must be one of ${buildLanguages.join(', ')}` })
      .meta({ description: 'The language of the function: picks the recipe toolchains/<language>/build.sh.', examples: ['rust'] }),
    command: z
      .string()
      .min(1, { error: 'must not be empty (leave it out to use the recipe)' })
      .max(maxBuildCommandChars, { error: `must be at most ${maxBuildCommandChars} characters long` })
      .optional()
      .meta({
        description:
          'A shell command `wasmlet build` runs in the function folder instead of the recipe; it must write the component. ' +
          'Trusted and local-only: it runs with your permissions, and the host never runs it.',
        examples: ['make component'],
      }),
  })
  .optional()
  .meta({ description: 'How `wasmlet build` builds this folder (CLI only; the host ignores it). Without it, the language is detected from the files.' });

/** wasmlet.toml, keys as written in TOML. Unknown keys are rejected at every level. */
export const manifestTomlSchema = z
  .strictObject({
    name: nameSchema,
    component: componentSchema,
    http: z.array(httpRouteSchema).max(maxHttpRoutes, { error: (iss) => `must have at most ${maxHttpRoutes} entries, got ${countItems(iss.input)}` }).default([]).meta({
      description: 'HTTP routes ([[http]] tables); a function without routes is still invocable through the admin API.',
    }),
    env: envSchema,
    config: configSchema,
    limits: limitsSchema,
    runtime: runtimeSchema,
    allowed_outbound_hosts: allowedOutboundHostsSchema,
    ...triggerShape,
    build: buildSchema,
  })
  .meta({ title: 'wasmlet.toml', description: 'The manifest of a wasmlet function bundle.' });

export type ManifestToml = z.output<typeof manifestTomlSchema>;
