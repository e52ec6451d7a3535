// The parsed, frozen form of wasmlet.toml: what deploy, the registry and the runtime see.

/** The manifest's name at the root of every bundle. */
export const manifestFileName = 'wasmlet.toml';

export const httpMethods = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'] as const;
export type HttpMethod = (typeof httpMethods)[number];

export interface HttpRouteSpec {
  /** "/hello", "/" or a prefix "/api/*". */
  readonly route: string;
  /** Upper-case and de-duplicated; 'any' when the manifest names none. */
  readonly methods: readonly HttpMethod[] | 'any';
}

/** Languages `wasmlet build` has a recipe for (toolchains/<language>/build.sh). */
export const buildLanguages = ['c', 'rust', 'go', 'python', 'js', 'dotnet'] as const;
export type BuildLanguage = (typeof buildLanguages)[number];

/** The `[build]` table: read by the CLI's `wasmlet build` only; the host never looks at it. */
export interface BuildSpec {
  readonly language: BuildLanguage;
  /** A shell command run in the function folder instead of the recipe: trusted, local-only. */
  readonly command: string | undefined;
}

export interface FunctionLimits {
  readonly timeoutMs: number;
  readonly memoryMb: number;
  readonly maxBodyBytes: number;
}

/**
 * A validated manifest; every field present (defaults applied) and deeply frozen.
 * @example
 * const manifest = parseManifest('name = "hello"\ncomponent = "hello.wasm"\n[[http]]\nroute = "/hello"\n');
 * manifest.limits.timeoutMs; // 10000
 */
export interface Manifest {
  readonly name: string;
  /** Normalised relative path inside the bundle: no "./", no empty segments. */
  readonly component: string;
  readonly http: readonly HttpRouteSpec[];
  readonly env: Readonly<Record<string, string>>;
  readonly config: Readonly<Record<string, string>>;
  readonly limits: FunctionLimits;
  /** Lower-case host patterns: "api.example.com", "*.example.com", "https://api.example.com:443". */
  readonly allowedOutboundHosts: readonly string[];
  /** How `wasmlet build` builds the folder; undefined without a `[build]` table. Ignored by the host. */
  readonly build: BuildSpec | undefined;
}
