// `wasmlet objects ls [bucket[/prefix]]`: the buckets, or a bucket's keys and prefixes one level deep (--recursive: all keys).
import type { CommandContext } from '../command-context.js';
import { printJson } from '../command-context.js';
import { parseS3Location, withS3 } from '../s3-command.js';
import { S3ClientError, type ListedObject } from '../../client/s3-client.js';

export interface ObjectsLsOptions {
  readonly s3Url: string;
  readonly recursive?: boolean;
}

/** `2026-12-06 23:29:37` from an ISO time, as the AWS CLI shows it. */
const shown = (iso: string) => iso.replace('T', ' ').replace(/\.\d+Z$|Z$/, '');

export function objectsLsCommand(target: string | undefined, options: ObjectsLsOptions, ctx: CommandContext): Promise<number> {
  return withS3(ctx, options.s3Url, async (s3) => {
    if (target === undefined || target === '' || target === 's3://') {
      const buckets = await s3.listBuckets();
      if (ctx.json) printJson(ctx, { buckets });
      else for (const b of buckets) ctx.output.out(`${shown(b.createdAt)} ${b.name}\n`);
      return;
    }
    const location = parseS3Location(target, true);
    if (!location) throw new S3ClientError('bad_request', `not a bucket or s3:// location: "${target}"`);
    const objects: ListedObject[] = [];
    const prefixes: string[] = [];
    for await (const page of s3.listAll(location.bucket, { prefix: location.key, ...(options.recursive ? {} : { delimiter: '/' }) })) {
      objects.push(...page.objects);
      prefixes.push(...page.prefixes);
      if (ctx.json) continue;
      // Relative to the prefix's folder, like `aws s3 ls`.
      const base = location.key.slice(0, location.key.lastIndexOf('/') + 1);
      const name = (key: string) => (options.recursive ? key : key.slice(base.length));
      for (const p of page.prefixes) ctx.output.out(`${'PRE'.padStart(30)} ${name(p)}\n`);
      for (const o of page.objects) ctx.output.out(`${shown(o.lastModified)} ${String(o.size).padStart(10)} ${name(o.key)}\n`);
    }
    if (ctx.json) printJson(ctx, { bucket: location.bucket, prefix: location.key, objects, prefixes });
  });
}
