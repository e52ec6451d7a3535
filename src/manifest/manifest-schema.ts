// The TOML form of wasmlet.toml as zod schemas: the single source of truth for what a manifest may
// say. parse-manifest.ts validates with it and manifest-json-schema.ts publishes it for editors.
// Every check carries its own message, phrased to follow the key path ("name must ...").
import * as z from 'zod';
import { parseAllowedHost } from '../capabilities/outbound-http/allowed-hosts.js';
import { secretNamePattern } from '../secrets/secret-input.js';
import { buildLanguages, httpMethods } from './manifest.js';
import {
  defaultMaxBodyBytes,
  defaultMaxConcurrency,
  maxMaxConcurrency,
  minMaxConcurrency,
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
  defaultOutboundRequests,
  minOutboundRequests,
  maxOutboundRequests,
  defaultOutboundResponseBytes,
  minOutboundResponseBytes,
  maxOutboundResponseBytes,
  defaultOutboundConnectTimeoutMs,
  minOutboundConnectTimeoutMs,
  maxOutboundConnectTimeoutMs,
  defaultOutboundTimeoutMs,
  minOutboundTimeoutMs,
  maxOutboundTimeoutMs,
} from './manifest-bounds.js';
import { triggerShape } from './trigger-schema.js';
import { keyValueLimitsShape, keyValueShape } from './key-value-schema.js';
import { checkObjectEventGrants, objectsShape } from './objects-schema.js';

/** "GET" -> "[Gg][Ee][Tt]": JSON Schema patterns take no flags, and methods are case-insensitive on input. */
function caseInsensitive(word: string): string {
  return [...word].map((c) => `[${c.toUpperCase()}${c.toLowerCase()}]`).join('');
}

/** One route segment; "." and ".." are refused so a route never differs from its normalised form. */
const routeSegment = String.raw`(?!\.\.?(?:/|$))[A-Za-z0-9._~-]+`;
const routePattern = new RegExp(String.raw`^/(?:(?:${routeSegment}/)*(?:${routeSegment}|\*))?$`);

/**
 * For editors only (the JSON Schema): an entry starts with a scheme and names no path. The real
 * check is parseAllowedHost, the same parser the runtime enforces grants with.
 */
const outboundHostEditorPattern = '^(?:[Hh][Tt][Tt][Pp][Ss]?|\\*)://[^/?#@\\s]+/?$';

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

/** `api_key = { secret = "STRIPE_KEY" }`: the value of a host secret, resolved when the function runs. */
const secretReferenceSchema = z
  .strictObject({
    secret: z
      .string()
      .regex(secretNamePattern, { error: 'must be a secret name: 1 to 128 upper-case letters, digits or "_", starting with a letter' })
      .meta({ description: 'The name of a secret set on the host (`wasmlet secret set NAME`); deploy refuses one that is not set.', examples: ['STRIPE_KEY'] }),
  })
  .meta({ description: 'A reference to a host secret: the guest reads its current value; the manifest, listings and logs never show it.' });

const configSchema = z
  .record(
    z
      .string()
      .min(1, { error: 'must not be empty' })
      .max(maxConfigKeyChars, { error: `must be at most ${maxConfigKeyChars} characters long` }),
    z.union([z.string(), secretReferenceSchema], { error: 'must be a string or a secret reference { secret = "NAME" }' }),
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
    max_concurrency: z
      .int()
      .min(minMaxConcurrency)
      .max(maxMaxConcurrency)
      .default(defaultMaxConcurrency)
      .meta({ description: 'Invocations of this function in flight at once (computing or waiting on the network); more queue, then get 503.' }),
    outbound_requests: z
      .int()
      .min(minOutboundRequests)
      .max(maxOutboundRequests)
      .default(defaultOutboundRequests)
      .meta({ description: 'Outbound HTTP requests one invocation may make, each redirect hop counted; the next fails with too-many-requests.' }),
    outbound_response_bytes: z
      .int()
      .min(minOutboundResponseBytes)
      .max(maxOutboundResponseBytes)
      .default(defaultOutboundResponseBytes)
      .meta({ description: 'Outbound HTTP response body bytes one invocation may receive, summed over its requests; past it, response-too-large.' }),
    outbound_connect_timeout_ms: z
      .int()
      .min(minOutboundConnectTimeoutMs)
      .max(maxOutboundConnectTimeoutMs)
      .default(defaultOutboundConnectTimeoutMs)
      .meta({ description: 'Time to resolve, connect and complete TLS for an outbound request, in milliseconds; past it, connection-timeout.' }),
    outbound_timeout_ms: z
      .int()
      .min(minOutboundTimeoutMs)
      .max(maxOutboundTimeoutMs)
      .default(defaultOutboundTimeoutMs)
      .meta({ description: 'Time for a whole outbound exchange, redirects included, in milliseconds, cut to what is left of the invocation; past it, timeout.' }),
    ...keyValueLimitsShape,
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
      .meta({
        description:
          'An origin the guest may call: scheme, host and optional port (the scheme\'s default when left out; "*" for any). ' +
          '"*.example.com" covers subdomains, not example.com itself; "*://" covers http and https; "*://*:*" allows everything. ' +
          'Loopback, private and link-local addresses are reachable only through a grant naming the address, e.g. "http://127.0.0.1:8080".',
        examples: ['https://api.example.com', 'https://*.example.com', 'http://127.0.0.1:8080', 'https://api.example.com:*'],
        pattern: outboundHostEditorPattern,
      })
      .transform((entry, ctx) => {
        const parsed = parseAllowedHost(entry);
        if (parsed.ok) return parsed.grant;
        ctx.issues.push({ code: 'custom', message: parsed.reason, input: entry });
        return z.NEVER;
      }),
  )
  .max(maxOutboundHosts, { error: (iss) => `must have at most ${maxOutboundHosts} entries, got ${countItems(iss.input)}` })
  // prefault: the default is the TOML value (an empty list), parsed like any other.
  .prefault([])
  .meta({ description: 'Origins the guest may reach with outbound HTTP (Spin\'s syntax); none when left out.' });

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
    ...keyValueShape,
    ...objectsShape,
    ...triggerShape,
    build: buildSchema,
  })
  .superRefine(checkObjectEventGrants)
  .meta({ title: 'wasmlet.toml', description: 'The manifest of a wasmlet function bundle.' });

export type ManifestToml = z.output<typeof manifestTomlSchema>;
