// Lambda's FunctionName forms and qualifiers: `name`, `name:qualifier`, `<account>:function:name[:q]`,
// `arn:aws:lambda:<region>:<account>:function:name[:q]`, plus `?Qualifier=`. A qualifier is
// `$LATEST`, a published version number or an alias; resolving one gives what to run.
import { functionNamePattern } from '../../manifest/manifest-bounds.js';
import type { ActiveFunction, AliasRecord, Registry } from '../../registry/registry.js';
import { LambdaError } from './lambda-error.js';
import { pickAliasVersion } from './alias-routing.js';

/** The account every ARN this host returns names (wasmlet has no accounts; LocalStack uses the same). */
export const lambdaAccountId = '000000000000';
export const latest = '$LATEST';
/** An alias name: Lambda's pattern, and never all digits (that would be a version). */
export const aliasNamePattern = /^(?!^[0-9]+$)[a-zA-Z0-9-_]{1,128}$/;
const versionPattern = /^[1-9][0-9]{0,9}$/;

export interface FunctionRef {
  readonly name: string;
  /** Undefined: none given (`$LATEST` for reads and invokes). */
  readonly qualifier: string | undefined;
}

export function functionArn(region: string, name: string, qualifier?: string): string {
  return `arn:aws:lambda:${region}:${lambdaAccountId}:function:${name}${qualifier === undefined ? '' : `:${qualifier}`}`;
}

/**
 * Splits a FunctionName path parameter (already percent-decoded) and checks it against `?Qualifier=`.
 * @example parseFunctionRef('arn:aws:lambda:us-east-1:000000000000:function:hello:live', undefined) // { name: 'hello', qualifier: 'live' }
 */
export function parseFunctionRef(raw: string, qualifierParam: string | undefined): FunctionRef {
  const parts = raw.split(':');
  let name: string;
  let derived: string | undefined;
  if (parts[0] === 'arn') {
    if (parts.length < 7 || parts.length > 8 || parts[2] !== 'lambda' || parts[5] !== 'function') throw invalidName(raw);
    [name, derived] = [parts[6]!, parts[7]];
  } else if (parts.length >= 3 && parts[1] === 'function') {
    if (parts.length > 4 || !/^\d{12}$/.test(parts[0]!)) throw invalidName(raw);
    [name, derived] = [parts[2]!, parts[3]];
  } else if (parts.length <= 2) {
    [name, derived] = [parts[0]!, parts[1]];
  } else {
    throw invalidName(raw);
  }
  if (name === '' || derived === '') throw invalidName(raw);
  if (derived !== undefined && qualifierParam !== undefined && derived !== qualifierParam) {
    throw new LambdaError('InvalidParameterValueException', 'The derived qualifier from the function name does not match the specified qualifier.');
  }
  const qualifier = derived ?? qualifierParam;
  if (qualifier !== undefined && qualifier !== latest && !versionPattern.test(qualifier) && !aliasNamePattern.test(qualifier)) {
    throw new LambdaError('ValidationException', `1 validation error detected: Value '${qualifier}' at 'qualifier' failed to satisfy constraint: Member must satisfy regular expression pattern: (|[a-zA-Z0-9$_-]+)`);
  }
  return { name, qualifier };
}

/** A wasmlet function name (lower-case DNS label): Lambda allows more, this host does not. */
export function checkWasmletName(name: string): void {
  if (!functionNamePattern.test(name)) {
    throw new LambdaError('InvalidParameterValueException', `wasmlet function names are 1 to 63 lower-case letters, digits or "-", starting with a letter; ${JSON.stringify(name)} is not one`);
  }
}

/** What a qualified name resolves to: the runnable form and the version that runs. */
export interface ResolvedFunction {
  readonly fn: ActiveFunction;
  /** "$LATEST" or the published version number. */
  readonly version: string;
  readonly alias: AliasRecord | undefined;
}

export type Resolve = 'fixed' | { readonly random: () => number };

/**
 * Resolves `ref` on the registry. An alias resolves to its version, or (with `pick.random`) to one of
 * its two versions by weight, as an invocation does; `fixed` always takes its main version.
 * @throws LambdaError ResourceNotFoundException naming the ARN, as Lambda words it
 */
export function resolveFunction(registry: Registry, ref: FunctionRef, region: string, pick: Resolve = 'fixed'): ResolvedFunction {
  const active = registry.get(ref.name);
  if (!active) throw new LambdaError('ResourceNotFoundException', `Function not found: ${functionArn(region, ref.name)}`);
  const qualifier = ref.qualifier ?? latest;
  if (qualifier === latest) return { fn: active, version: latest, alias: undefined };
  if (versionPattern.test(qualifier)) return { fn: requireVersion(registry, ref.name, qualifier, region), version: qualifier, alias: undefined };
  const alias = registry.aliases(ref.name).find((a) => a.name === qualifier);
  if (!alias) throw new LambdaError('ResourceNotFoundException', `Function not found: ${functionArn(region, ref.name, qualifier)}`);
  const version = pick === 'fixed' ? alias.functionVersion : pickAliasVersion(alias, pick.random);
  return { fn: version === latest ? active : requireVersion(registry, ref.name, version, region), version, alias };
}

function requireVersion(registry: Registry, name: string, version: string, region: string): ActiveFunction {
  const fn = registry.publishedFunction(name, Number(version));
  if (!fn) throw new LambdaError('ResourceNotFoundException', `Function not found: ${functionArn(region, name, version)}`);
  return fn;
}

function invalidName(raw: string): LambdaError {
  return new LambdaError(
    'ValidationException',
    `1 validation error detected: Value '${raw}' at 'functionName' failed to satisfy constraint: Member must satisfy regular expression pattern: (arn:(aws[a-zA-Z-]*)?:lambda:)?([a-z]{2}(-gov)?-[a-z]+-\\d{1}:)?(\\d{12}:)?(function:)?([a-zA-Z0-9-_\\.]+)(:(\\$LATEST|[a-zA-Z0-9-_]+))?`,
  );
}
