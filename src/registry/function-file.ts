// One function's registry file (`<data-dir>/functions/<name>.json`) read back: a record the host can
// serve, or the reason it cannot, so that one damaged file quarantines one function instead of
// stopping the host.
import * as z from 'zod';
import type { HandlerKind } from '../component/validate-component.js';
import { functionNamePattern } from '../manifest/manifest-bounds.js';

export interface FunctionVersion {
  readonly version: number;
  readonly bundleHex: string;
  readonly componentHex: string;
  /** The handlers the component exports; absent in records written before queues existed (HTTP only then). */
  readonly handlers?: readonly HandlerKind[];
  readonly manifestSource: string;
  readonly deployedAt: string;
}

/**
 * A version frozen by PublishVersion (Lambda's API): its own copy of what ran, so it outlives the
 * rollback history (`maxVersionsKept`). Its number is the deploy's version number.
 */
export interface PublishedVersion extends FunctionVersion {
  readonly description: string;
  readonly publishedAt: string;
}

/** A named pointer to `$LATEST` or a published version, optionally sending a share of calls to a second one. */
export interface AliasRecord {
  readonly name: string;
  /** "$LATEST" or a published version number, as a string (Lambda's shape). */
  readonly functionVersion: string;
  readonly description: string;
  /** At most one entry: a published version and the share (0 to 1) of invocations it gets. */
  readonly additionalVersionWeights: Readonly<Record<string, number>>;
  /** Changes on every update (Lambda's RevisionId). */
  readonly revisionId: string;
}

export interface FunctionRecord {
  readonly name: string;
  versions: FunctionVersion[];
  /** Versions in activation order; the last one is active. Rollback pops it. */
  history: number[];
  /** Published versions, by number ascending; absent in files written before Lambda's API. */
  published?: PublishedVersion[];
  aliases?: AliasRecord[];
  /** Reserved concurrency (PutFunctionConcurrency): overrides `[limits] max_concurrency` for every version; 0 refuses every call. */
  reservedConcurrency?: number;
}

/** The file format this host writes; 1 was the single `registry.json` of every function. */
export const functionFileFormat = 2;

const hex64 = z.string().regex(/^[0-9a-f]{64}$/, 'not a sha256 hex digest');
const handlerKinds = ['http', 'queue', 'schedule'] as const satisfies readonly HandlerKind[];
const versionSchema = z.object({
  version: z.number().int().positive(),
  bundleHex: hex64,
  componentHex: hex64,
  handlers: z.array(z.enum(handlerKinds)).optional(),
  manifestSource: z.string(),
  deployedAt: z.string(),
});
const publishedVersionSchema = versionSchema.extend({ description: z.string(), publishedAt: z.string() });
const aliasSchema = z.object({
  name: z.string().min(1),
  functionVersion: z.string().regex(/^(?:\$LATEST|[1-9][0-9]*)$/, 'not $LATEST or a version number'),
  description: z.string(),
  additionalVersionWeights: z.record(z.string().regex(/^[1-9][0-9]*$/), z.number().min(0).max(1)),
  revisionId: z.string(),
});
export const functionRecordSchema = z.object({
  name: z.string().regex(functionNamePattern, 'not a function name'),
  versions: z.array(versionSchema).min(1, 'no versions'),
  history: z.array(z.number().int().positive()).min(1, 'no active version'),
  published: z.array(publishedVersionSchema).optional(),
  aliases: z.array(aliasSchema).optional(),
  reservedConcurrency: z.number().int().min(0).optional(),
});
const functionFileSchema = z.object({ format: z.literal(functionFileFormat), function: functionRecordSchema });

/** What a file held: a record, or why it is not one (and every digest its text mentions, which garbage collection keeps). */
export type ReadFunctionFile =
  | { readonly kind: 'record'; readonly record: FunctionRecord }
  | { readonly kind: 'damaged'; readonly reason: string; readonly digests: ReadonlySet<string> };

/** A sha256 hex digest anywhere in a text: a damaged record may still name the blobs someone will want to restore it. */
const digestPattern = /[0-9a-f]{64}/g;

/**
 * Parses the text of `<name>.json`; `name` is the file name without `.json`.
 * @example parseFunctionFile('alpha', '{"format":2,"function":{...}}') // { kind: 'record', record }
 */
export function parseFunctionFile(name: string, text: string): ReadFunctionFile {
  const damaged = (reason: string): ReadFunctionFile => ({ kind: 'damaged', reason, digests: digestsOf(text) });
  if (text.length === 0) return damaged('the file is empty');
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    return damaged(`not valid JSON: ${(err as Error).message}`);
  }
  const parsed = functionFileSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    return damaged(`not a function record: ${issue.path.length > 0 ? `${issue.path.join('.')}: ` : ''}${issue.message}`);
  }
  const record = parsed.data.function as FunctionRecord;
  if (record.name !== name) return damaged(`it holds function ${JSON.stringify(record.name)}, not ${JSON.stringify(name)}`);
  const kept = new Set(record.versions.map((v) => v.version));
  const unknown = record.history.find((v) => !kept.has(v));
  if (unknown !== undefined) return damaged(`its history names version ${unknown}, which it does not keep`);
  const published = new Set((record.published ?? []).map((v) => String(v.version)));
  for (const alias of record.aliases ?? []) {
    const missing = [alias.functionVersion, ...Object.keys(alias.additionalVersionWeights)].find((v) => v !== '$LATEST' && !published.has(v));
    if (missing !== undefined) return damaged(`alias ${alias.name} names version ${missing}, which is not published`);
  }
  return { kind: 'record', record };
}

/** Every sha256 hex digest `text` mentions. */
export function digestsOf(text: string): ReadonlySet<string> {
  return new Set(text.match(digestPattern) ?? []);
}

export function serializeFunctionFile(record: FunctionRecord): string {
  return JSON.stringify({ format: functionFileFormat, function: record }, null, 2);
}
