// The HTTP route table: a pure function of the active functions' [[http]] routes.
// Most specific wins: an exact path beats any wildcard, a longer wildcard prefix beats a shorter one.
// If the most specific route does not take the method, less specific ones are tried; 405 only
// when no matching route takes it.

export interface RouteEntry {
  readonly route: string; // "/hello/c" or "/api/*"
  readonly methods: readonly string[] | 'any';
  readonly functionName: string;
}

export type RouteMatch =
  | { readonly kind: 'found'; readonly entry: RouteEntry }
  | { readonly kind: 'not_found' }
  | { readonly kind: 'method_not_allowed'; readonly allowed: readonly string[] };

interface CompiledRoute {
  readonly entry: RouteEntry;
  readonly exact: boolean;
  /** For exact routes the whole path; for wildcards the prefix before "/*" ("" for "/*"). */
  readonly path: string;
  readonly specificity: number;
}

export class RouteTable {
  readonly #routes: readonly CompiledRoute[];

  constructor(entries: readonly RouteEntry[]) {
    this.#routes = entries.map(compileRoute).sort((a, b) => b.specificity - a.specificity);
  }

  get entries(): readonly RouteEntry[] {
    return this.#routes.map((r) => r.entry);
  }

  match(method: string, rawPath: string): RouteMatch {
    const path = normalizePath(rawPath);
    const allowed = new Set<string>();
    let matchedAny = false;
    for (const route of this.#routes) {
      if (!matches(route, path)) continue;
      matchedAny = true;
      if (allowsMethod(route.entry.methods, method)) return { kind: 'found', entry: route.entry };
      if (route.entry.methods !== 'any') for (const m of route.entry.methods) allowed.add(m);
    }
    return matchedAny ? { kind: 'method_not_allowed', allowed: [...allowed].sort() } : { kind: 'not_found' };
  }

  /** Routes of other functions that would serve the same path and method as `entry`. */
  conflictsWith(entry: RouteEntry): RouteEntry[] {
    const candidate = compileRoute(entry);
    return this.#routes
      .filter((r) => r.entry.functionName !== entry.functionName)
      .filter((r) => r.exact === candidate.exact && r.path === candidate.path)
      .filter((r) => methodsOverlap(r.entry.methods, entry.methods))
      .map((r) => r.entry);
  }
}

function compileRoute(entry: RouteEntry): CompiledRoute {
  const wildcard = entry.route === '/*' || entry.route.endsWith('/*');
  const path = wildcard ? normalizePath(entry.route.slice(0, -2)) : normalizePath(entry.route);
  const segments = path.split('/').filter(Boolean).length;
  // Exact routes outrank every wildcard; among wildcards, more segments win.
  return { entry, exact: !wildcard, path: wildcard && path === '/' ? '' : path, specificity: wildcard ? segments : 10_000 + segments };
}

function matches(route: CompiledRoute, path: string): boolean {
  if (route.exact) return path === route.path;
  return route.path === '' || path === route.path || path.startsWith(`${route.path}/`);
}

function normalizePath(path: string): string {
  return path.length > 1 && path.endsWith('/') ? path.slice(0, -1) : path;
}

function allowsMethod(methods: RouteEntry['methods'], method: string): boolean {
  if (methods === 'any') return true;
  // A route that takes GET also answers HEAD, as every HTTP server does.
  return methods.includes(method) || (method === 'HEAD' && methods.includes('GET'));
}

function methodsOverlap(a: RouteEntry['methods'], b: RouteEntry['methods']): boolean {
  if (a === 'any' || b === 'any') return true;
  return a.some((m) => b.includes(m));
}
