// Module hooks for the native tests: resolve the component's WIT imports
// (`wasmlet:function/host@0.1.0`, `.../publisher@0.1.0`, `.../outbound-http@0.1.0`, `wasi:keyvalue/*@0.2.0-draft2`) to the in-memory fakes beside this file.
export async function resolve(specifier, context, nextResolve) {
  const wit = /^wasmlet:function\/(host|publisher|outbound-http)@0\.1\.0$/.exec(specifier);
  if (wit) return { url: new URL(`./${wit[1]}.mjs`, import.meta.url).href, shortCircuit: true };
  if (/^wasi:keyvalue\/(store|atomics|batch)@0\.2\.0-draft2$/.test(specifier)) return { url: new URL('./keyvalue.mjs', import.meta.url).href, shortCircuit: true };
  return nextResolve(specifier, context);
}
