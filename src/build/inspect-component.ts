// What a built component asks of the host, checked the way deploy will check it, so that a build
// tells the user about a denied import before a deploy refuses it.
import { componentWit } from '@bytecodealliance/jco';
import { isProvidedImport } from '../capabilities/instance-imports.js';
import { parseComponentWorld } from '../component/component-world.js';
import { checkBinaryIsComponent, validateComponentWorld } from '../component/validate-component.js';
import type { ErrorCode } from '../errors/error-catalog.js';
import { WasmletError } from '../errors/wasmlet-error.js';

export interface ComponentImport {
  /** As the component names it: "wasi:cli/environment@0.2.0", "wasmlet:function/host@0.1.0". */
  readonly name: string;
  /** false: the host would refuse the deploy (component_import_denied). */
  readonly provided: boolean;
}

/** Something deploy would refuse, with the code it would refuse it with. */
export interface DeployProblem {
  /** component_invalid, component_world_mismatch or component_import_denied. */
  readonly code: ErrorCode;
  readonly message: string;
}

export interface ComponentReport {
  readonly imports: readonly ComponentImport[];
  readonly exports: readonly string[];
  readonly problems: readonly DeployProblem[];
}

/**
 * The imports and exports of a component, and what deploy would say about them.
 * @example const { problems } = await inspectComponent(bytes, 'hello.wasm'); // [] when deployable
 */
export async function inspectComponent(bytes: Uint8Array, path: string): Promise<ComponentReport> {
  const refusal = deployRefusal(() => checkBinaryIsComponent(bytes, path));
  if (refusal) return { imports: [], exports: [], problems: [refusal] };
  let wit: string;
  try {
    wit = await componentWit(bytes);
  } catch (err) {
    return { imports: [], exports: [], problems: [{ code: 'component_invalid', message: `${path} is not a valid component: ${(err as Error).message}` }] };
  }
  return reportOf(wit, path);
}

/**
 * The pure part of inspectComponent, on the printed world: every import flagged, and the first
 * refusal of deploy's own check (validateComponentWorld), so the two can never disagree.
 */
export function reportOf(wit: string, path: string): ComponentReport {
  const world = parseComponentWorld(wit);
  const imports = world.imports.map((name) => ({ name, provided: isProvidedImport(name) }));
  const refusal = deployRefusal(() => validateComponentWorld(wit, path));
  return { imports, exports: world.exports, problems: refusal ? [refusal] : [] };
}

/** Runs one of deploy's checks; its refusal becomes a value. */
function deployRefusal(check: () => unknown): DeployProblem | undefined {
  try {
    check();
    return undefined;
  } catch (err) {
    if (!(err instanceof WasmletError)) throw err;
    return { code: err.code, message: err.message };
  }
}
