// The HTTP route table: the active functions' [[http]] routes, updated one function at a time.
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
}

export class RouteTable {
  /** Routes by exact path, and wildcard routes by prefix; each list in declaration order. */
  readonly #exact = new Map<string, CompiledRoute[]>();
  readonly #wildcard = new Map<string, CompiledRoute[]>();
  /** Each function's routes, so that one function's deploy or delete changes only its own. */
  readonly #byFunction = new Map<string, CompiledRoute[]>();

  constructor(entries: readonly RouteEntry[]) {
    for (const route of entries.map(compileRoute)) this.#add(route);
  }

  get entries(): readonly RouteEntry[] {
    return [...this.#byFunction.values()].flat().map((route) => route.entry);
  }

  /** Replaces the routes of `functionName` with `entries` (none: it was deleted). */
  replaceFunction(functionName: string, entries: readonly RouteEntry[]): void {
    for (const route of this.#byFunction.get(functionName) ?? []) {
      const index = route.exact ? this.#exact : this.#wildcard;
      const rest = index.get(route.path)!.filter((r) => r !== route);
      if (rest.length > 0) index.set(route.path, rest);
      else index.delete(route.path);
    }
    this.#byFunction.delete(functionName);
    for (const entry of entries) this.#add(compileRoute({ ...entry, functionName }));
  }

  #add(route: CompiledRoute): void {
    const index = route.exact ? this.#exact : this.#wildcard;
    const list = index.get(route.path);
    if (list) list.push(route);
    else index.set(route.path, [route]);
    const own = this.#byFunction.get(route.entry.functionName);
    if (own) own.push(route);
    else this.#byFunction.set(route.entry.functionName, [route]);
  }

  /**
   * Looks up the exact path, then each wildcard prefix from the longest ("/a/b/*") to "/*": a few
   * map lookups per request, whatever the number of routes (density: thousands of functions).
   */
  match(method: string, rawPath: string): RouteMatch {
    const path = normalizePath(rawPath);
    const allowed = new Set<string>();
    let matchedAny = false;
    for (const routes of this.#candidates(path)) {
      for (const route of routes) {
        matchedAny = true;
        if (allowsMethod(route.entry.methods, method)) return { kind: 'found', entry: route.entry };
        if (route.entry.methods !== 'any') for (const m of route.entry.methods) allowed.add(m);
      }
    }
    return matchedAny ? { kind: 'method_not_allowed', allowed: [...allowed].sort() } : { kind: 'not_found' };
  }

  /** Routes of other functions that would serve the same path and method as `entry`. */
  conflictsWith(entry: RouteEntry): RouteEntry[] {
    const candidate = compileRoute(entry);
    const samePath = (candidate.exact ? this.#exact : this.#wildcard).get(candidate.path) ?? [];
    return samePath
      .filter((r) => r.entry.functionName !== entry.functionName)
      .filter((r) => methodsOverlap(r.entry.methods, entry.methods))
      .map((r) => r.entry);
  }

  /** Route lists that match `path`, most specific first. */
  *#candidates(path: string): Generator<readonly CompiledRoute[]> {
    const exact = this.#exact.get(path);
    if (exact) yield exact;
    if (this.#wildcard.size === 0) return;
    // "/a/b" is served by "/a/b/*", then "/a/*", then "/*" (prefix "").
    let prefix = path === '/' ? '' : path;
    for (;;) {
      const wildcard = this.#wildcard.get(prefix);
      if (wildcard) yield wildcard;
      if (prefix === '') return;
      prefix = prefix.slice(0, Math.max(prefix.lastIndexOf('/'), 0));
    }
  }
}

function compileRoute(entry: RouteEntry): CompiledRoute {
  const wildcard = entry.route === '/*' || entry.route.endsWith('/*');
  const path = wildcard ? normalizePath(entry.route.slice(0, -2)) : normalizePath(entry.route);
  return { entry, exact: !wildcard, path: wildcard && path === '/' ? '' : path };
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
