// The imports and exports of a component, read from the WIT that wasm-tools prints for it.

export interface ComponentWorld {
  /** e.g. "wasi:cli/environment@0.2.12", or a bare name for a function import. */
  readonly imports: readonly string[];
  readonly exports: readonly string[];
}

/** Parses `package root:component; world root { import a:b/c@1; export d:e/f@1; ... }`. */
export function parseComponentWorld(wit: string): ComponentWorld {
  const imports: string[] = [];
  const exports: string[] = [];
  const worldBody = /world\s+root\s*\{([\s\S]*)\}/.exec(wit)?.[1] ?? '';
  for (const line of worldBody.split('\n')) {
    const m = /^\s*(import|export)\s+([^\s:;({]+(?::[^\s;({]+)?)/.exec(line);
    if (!m) continue;
    // "import name: func(...)" names a bare function; "import ns:pkg/iface@v;" an interface.
    const target = m[2]!.includes('/') ? m[2]! : m[2]!.replace(/:$/, '');
    (m[1] === 'import' ? imports : exports).push(target);
  }
  return { imports, exports };
}

export function unversioned(name: string): string {
  return name.replace(/@[^/]*$/, '');
}
