// Where a request's CPU goes, from V8 .cpuprofile files (one per thread, as `node --cpu-prof`
// writes them): every sample inside a time window is given to one part of the request path by its
// stack, and summed per thread group. The parts are named for the HTTP path of issue 13: the HTTP
// parse/response, the trigger, the scheduler, the hop between threads, instantiation (core instances,
// imports, glue), the guest call, GC.

export interface CpuProfileNode {
  readonly id: number;
  readonly callFrame: { readonly functionName: string; readonly url: string };
  readonly children?: readonly number[];
}

export interface CpuProfile {
  readonly nodes: readonly CpuProfileNode[];
  readonly startTime: number;
  readonly endTime: number;
  readonly samples: readonly number[];
  readonly timeDeltas: readonly number[];
}

type Frame = CpuProfileNode['callFrame'];

/** Total µs per part, and per leaf function (self time, for the next look). */
export interface Breakdown {
  readonly parts: Map<string, number>;
  readonly functions: Map<string, number>;
  /** Sampled µs in the window, idle included. */
  readonly sampledMicros: number;
}

const idlePart = 'idle';

/**
 * Sums the samples of `profile` whose time lies in [start, end] (µs, the profile's clock) into
 * `into`, each under the part `classify` names for its stack (root first).
 */
export function addProfile(into: Breakdown, profile: CpuProfile, window: { start: number; end: number }, classify: (stack: readonly Frame[]) => string): void {
  const parentOf = new Map<number, number>();
  const byId = new Map<number, CpuProfileNode>();
  for (const node of profile.nodes) {
    byId.set(node.id, node);
    for (const child of node.children ?? []) parentOf.set(child, node.id);
  }
  const partOf = new Map<number, string>();
  const stackOf = (id: number): Frame[] => {
    const stack: Frame[] = [];
    for (let at: number | undefined = id; at !== undefined; at = parentOf.get(at)) stack.push(byId.get(at)!.callFrame);
    return stack.reverse();
  };
  let time = profile.startTime;
  for (let i = 0; i < profile.samples.length; i++) {
    time += profile.timeDeltas[i] ?? 0;
    // A sample stands for the time until the next one.
    const micros = profile.timeDeltas[i + 1] ?? 0;
    if (time < window.start || time > window.end || micros <= 0) continue;
    const id = profile.samples[i]!;
    let part = partOf.get(id);
    if (part === undefined) {
      part = classify(stackOf(id));
      partOf.set(id, part);
    }
    into.parts.set(part, (into.parts.get(part) ?? 0) + micros);
    const leaf = byId.get(id)!.callFrame;
    const name = `${leaf.functionName || '(anonymous)'} ${shortUrl(leaf.url)}`.trim();
    into.functions.set(name, (into.functions.get(name) ?? 0) + micros);
    (into as { sampledMicros: number }).sampledMicros += micros;
  }
}

export function emptyBreakdown(): Breakdown {
  return { parts: new Map(), functions: new Map(), sampledMicros: 0 };
}

/** Busy µs: everything but idle. */
export function busyMicros(breakdown: Breakdown): number {
  return breakdown.sampledMicros - (breakdown.parts.get(idlePart) ?? 0);
}

function shortUrl(url: string): string {
  if (url === '') return '';
  const dist = url.indexOf('/dist/');
  if (dist >= 0) return url.slice(dist + 6).replace(/:\d+$/, '');
  if (url.startsWith('node:')) return url;
  if (url.startsWith('wasm://')) return 'wasm';
  return url.split('/').slice(-1)[0] ?? url;
}

function special(stack: readonly Frame[]): string | undefined {
  const leaf = stack.at(-1)?.functionName;
  if (leaf === '(idle)') return idlePart;
  if (leaf === '(garbage collector)') return 'GC';
  if (leaf === '(program)') return 'V8/libuv outside JS (program)';
  return undefined;
}

const isHopFrame = (frame: Frame): boolean =>
  frame.url.includes('src/runtime/guest-thread.js') ||
  frame.url.includes('node:internal/worker') ||
  frame.url.includes('messageport') ||
  frame.functionName === 'postMessage' ||
  frame.functionName === 'receiveMessageOnPort';

/** The main thread: the deepest frame that names a part wins (the scheduler calling postMessage is the hop). */
export function classifyMainThread(stack: readonly Frame[]): string {
  const fixed = special(stack);
  if (fixed) return fixed;
  let part = 'other (event loop, promises)';
  for (const frame of stack) {
    const { url } = frame;
    if (isHopFrame(frame)) part = 'hop (postMessage, clone, receive)';
    else if (url.startsWith('node:_http') || url.startsWith('node:net') || url.includes('node:internal/streams') || url.startsWith('node:stream') || url.includes('node:internal/http')) part = 'HTTP parse/response (node:http)';
    else if (url.includes('src/triggers/http/')) part = 'HTTP trigger (route, headers, body)';
    else if (url.includes('src/invoke/')) part = 'invoker (code cache, grants)';
    else if (url.includes('src/logs/')) part = 'logs';
    else if (url.includes('src/observe/')) part = 'metrics';
    else if (url.includes('src/runtime/')) part = 'scheduler (worker-pool and shares)';
  }
  return part;
}

/** A guest worker: what the stack is inside of (the call, an instantiation, the reply, recycling). */
export function classifyGuestWorker(stack: readonly Frame[]): string {
  const fixed = special(stack);
  if (fixed) return fixed;
  const inside = (test: (frame: Frame) => boolean) => stack.some(test);
  if (inside((f) => f.functionName === 'callInstance')) return 'guest call (incl. glue lifting)';
  if (inside((f) => f.functionName === 'instantiate' && f.url.includes('src/runtime/run-invocation.js'))) {
    if (inside((f) => f.functionName === 'Instance' || f.functionName === 'instantiateCore' || f.url.startsWith('wasm://'))) return 'instantiation: core instances (new WebAssembly.Instance)';
    if (inside((f) => f.url.includes('src/capabilities/'))) return 'instantiation: imports (capabilities)';
    return 'instantiation: glue setup';
  }
  if (inside((f) => f.url.includes('src/runtime/memory-pool.js'))) return 'memory recycling (zeroing)';
  if (inside(isHopFrame) || inside((f) => f.functionName === 'reply')) return 'hop (postMessage, clone, receive)';
  return 'other (event loop, promises)';
}
