// jco's glue probes WebAssembly.promising three times per instantiate; on Node 20 (no JSPI) each probe
// throws, and V8 renders the TypeError by re-parsing the glue: ~5 ms per throw (shared/notes/host-performance.md).
// Sync instantiation never suspends, so the identity function is a faithful stand-in.

export function installPromisingPolyfill(): void {
  const wasm = WebAssembly as unknown as { promising?: unknown };
  if (typeof wasm.promising !== 'function') wasm.promising = <T>(fn: T): T => fn;
}
