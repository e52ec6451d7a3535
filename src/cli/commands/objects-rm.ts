// `wasmlet objects rm s3://bucket/key` (or --recursive s3://bucket/prefix: DeleteObjects, 1000 keys at a time).
import { printJson, type CommandContext } from '../command-context.js';
import { requireS3Location, withS3 } from '../s3-command.js';
import { S3ClientError } from '../../client/s3-client.js';

/** S3's limit per DeleteObjects. */
const keysPerBatch = 1000;

export function objectsRmCommand(target: string, options: { readonly s3Url: string; readonly recursive?: boolean }, ctx: CommandContext): Promise<number> {
  return withS3(ctx, options.s3Url, async (s3) => {
    const { bucket, key } = requireS3Location(target, 'what to remove');
    if (!options.recursive) {
      if (key === '') throw new S3ClientError('bad_request', `give a key (s3://${bucket}/<key>), or --recursive to remove everything under a prefix`);
      await s3.deleteObject(bucket, key);
      if (ctx.json) printJson(ctx, { deleted: [key] });
      else ctx.output.out(`delete: s3://${bucket}/${key}\n`);
      return;
    }
    // Collect first: deleting while paging would move the continuation point.
    const keys: string[] = [];
    for await (const page of s3.listAll(bucket, { prefix: key })) keys.push(...page.objects.map((o) => o.key));
    const failed: Array<{ key: string; code: string; message: string }> = [];
    for (let at = 0; at < keys.length; at += keysPerBatch) failed.push(...(await s3.deleteObjects(bucket, keys.slice(at, at + keysPerBatch))));
    const deleted = keys.filter((k) => !failed.some((f) => f.key === k));
    if (ctx.json) printJson(ctx, { deleted, failed });
    else for (const k of deleted) ctx.output.out(`delete: s3://${bucket}/${k}\n`);
    if (failed.length > 0) throw new S3ClientError(failed[0]!.code, `${failed.length} of ${keys.length} object(s) not deleted; first: ${failed[0]!.key}: ${failed[0]!.message}`);
  });
}
