// `wasmlet objects mb s3://bucket`: creates a bucket (S3's naming rules).
import { printJson, type CommandContext } from '../command-context.js';
import { requireS3Location, withS3 } from '../s3-command.js';

export function objectsMbCommand(target: string, options: { readonly s3Url: string }, ctx: CommandContext): Promise<number> {
  return withS3(ctx, options.s3Url, async (s3) => {
    const { bucket } = requireS3Location(target.startsWith('s3://') ? target : `s3://${target}`, 'the bucket');
    await s3.createBucket(bucket);
    if (ctx.json) printJson(ctx, { bucket });
    else ctx.output.out(`make_bucket: ${bucket}\n`);
  });
}
