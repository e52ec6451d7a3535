// Lambda's FunctionConfiguration (and AliasConfiguration) as GetFunction, CreateFunction, PublishVersion
// and the List calls return them, from a registry version. Fields Lambda has and wasmlet has not
// (Role, Handler, Runtime, Layers, VPC…) are left out; the SDK and the CLI do not need them.
import { createHash } from 'node:crypto';
import type { ActiveFunction, AliasRecord, PublishedVersion } from '../../registry/registry.js';
import { functionArn, latest } from './function-ref.js';

export interface FunctionConfiguration {
  readonly FunctionName: string;
  readonly FunctionArn: string;
  readonly CodeSize: number;
  readonly CodeSha256: string;
  readonly Description: string;
  readonly Timeout: number;
  readonly MemorySize: number;
  readonly LastModified: string;
  readonly Version: string;
  readonly Environment?: { readonly Variables: Readonly<Record<string, string>> };
  readonly TracingConfig: { readonly Mode: 'PassThrough' };
  readonly RevisionId: string;
  readonly State: 'Active';
  readonly LastUpdateStatus: 'Successful';
  readonly PackageType: 'Zip';
}

/**
 * `version`: "$LATEST" or a published number. `codeSize`: the bundle zip's bytes.
 * State is Active at once: a deploy has finished compiling before it answers (waiters pass on their first poll).
 */
export function functionConfiguration(fn: ActiveFunction, version: string, region: string, codeSize: number): FunctionConfiguration {
  const { manifest, current } = fn;
  const env = manifest.env;
  return {
    FunctionName: fn.name,
    FunctionArn: functionArn(region, fn.name, version === latest ? undefined : version),
    CodeSize: codeSize,
    CodeSha256: Buffer.from(current.bundleHex, 'hex').toString('base64'),
    Description: (current as Partial<PublishedVersion>).description ?? '',
    // Lambda counts whole seconds; a sub-second timeout_ms shows as 1.
    Timeout: Math.max(1, Math.ceil(manifest.limits.timeoutMs / 1000)),
    MemorySize: manifest.limits.memoryMb,
    LastModified: lambdaTime(current.deployedAt),
    Version: version,
    ...(Object.keys(env).length > 0 ? { Environment: { Variables: { ...env } } } : {}),
    TracingConfig: { Mode: 'PassThrough' },
    RevisionId: revisionIdOf(fn.name, current.version, current.bundleHex),
    State: 'Active',
    LastUpdateStatus: 'Successful',
    PackageType: 'Zip',
  };
}

/** RevisionId of a function version: changes with every deploy (each is a new registry version). */
export function revisionIdOf(name: string, registryVersion: number, bundleHex: string): string {
  return uuidOf(`${name}\n${registryVersion}\n${bundleHex}`);
}

/** A UUID-shaped digest: Lambda's revision ids look like UUIDs, and ours are stable across restarts. */
export function uuidOf(text: string): string {
  const h = createHash('sha256').update(text).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}

/** Lambda's LastModified: ISO 8601 with milliseconds and a +0000 offset. */
export function lambdaTime(iso: string): string {
  return new Date(iso).toISOString().replace('Z', '+0000');
}

export interface AliasConfiguration {
  readonly AliasArn: string;
  readonly Name: string;
  readonly FunctionVersion: string;
  readonly Description: string;
  readonly RoutingConfig?: { readonly AdditionalVersionWeights: Readonly<Record<string, number>> };
  readonly RevisionId: string;
}

export function aliasConfiguration(functionName: string, alias: AliasRecord, region: string): AliasConfiguration {
  const weights = alias.additionalVersionWeights;
  return {
    AliasArn: functionArn(region, functionName, alias.name),
    Name: alias.name,
    FunctionVersion: alias.functionVersion,
    Description: alias.description,
    ...(Object.keys(weights).length > 0 ? { RoutingConfig: { AdditionalVersionWeights: { ...weights } } } : {}),
    RevisionId: alias.revisionId,
  };
}
