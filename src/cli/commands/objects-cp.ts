// `wasmlet objects cp <file> s3://bucket/key` and `cp s3://bucket/key <file|->`: one PutObject up to 16 MiB, parts above;
// a download goes to a temporary file renamed into place, so a failed copy never leaves half a file.
import { randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { open, rename, rm, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { printJson, type CommandContext } from '../command-context.js';
import { parseS3Location, requireS3Location, withS3 } from '../s3-command.js';
import { S3ClientError, type S3Client } from '../../client/s3-client.js';

/** Files up to this size go in one PutObject; larger ones in parts of this size (10 000 parts: ~160 GB). */
export const partBytes = 16 * 1024 * 1024;

export function objectsCpCommand(source: string, destination: string, options: { readonly s3Url: string; readonly contentType?: string }, ctx: CommandContext): Promise<number> {
  return withS3(ctx, options.s3Url, async (s3) => {
    const from = parseS3Location(source);
    const to = parseS3Location(destination);
    if (from && to) throw new S3ClientError('bad_request', 'copying between two s3:// locations is not supported; one side must be a local file');
    if (!from && !to) throw new S3ClientError('bad_request', 'one side of cp must be an s3://bucket/key location');
    if (to) {
      const key = to.key === '' || to.key.endsWith('/') ? `${to.key}${basename(source)}` : to.key;
      const { size, etag } = await upload(s3, source, to.bucket, key, options.contentType);
      if (ctx.json) printJson(ctx, { bucket: to.bucket, key, size, etag });
      else ctx.output.out(`upload: ${source} to s3://${to.bucket}/${key}\n`);
      return;
    }
    const { bucket, key } = requireS3Location(source, 'the source');
    if (key === '' || key.endsWith('/')) throw new S3ClientError('bad_request', `give the object's key: s3://${bucket}/<key>`);
    const object = await s3.getObject(bucket, key);
    if (destination === '-') {
      for await (const chunk of object.body) ctx.output.out(chunk as Uint8Array);
      return;
    }
    const isDir = destination.endsWith('/') || (await stat(destination).then((s) => s.isDirectory(), () => false));
    const path = isDir ? join(destination, basename(key)) : destination;
    const temporary = join(dirname(path), `.${basename(path)}.${randomBytes(4).toString('hex')}.part`);
    try {
      await pipeline(object.body, createWriteStream(temporary, { flags: 'wx' }));
      await rename(temporary, path);
    } catch (err) {
      object.body.destroy();
      await rm(temporary, { force: true });
      throw err;
    }
    if (ctx.json) printJson(ctx, { bucket, key, path, size: object.size });
    else ctx.output.out(`download: s3://${bucket}/${key} to ${path}\n`);
  });
}

/** Reads the file a part at a time (bounded memory), each part's SHA-256 signed; a failed multipart upload is aborted. */
async function upload(s3: S3Client, path: string, bucket: string, key: string, contentType: string | undefined): Promise<{ size: number; etag: string }> {
  const file = await open(path, 'r');
  try {
    const { size } = await file.stat();
    const read = async (at: number) => {
      const buffer = Buffer.alloc(Math.min(partBytes, size - at));
      const { bytesRead } = await file.read(buffer, 0, buffer.length, at);
      if (bytesRead !== buffer.length) throw new S3ClientError('bad_request', `${path} changed while it was read`);
      return buffer;
    };
    if (size <= partBytes) return { size, etag: await s3.putObject(bucket, key, await read(0), contentType) };
    const uploadId = await s3.createMultipartUpload(bucket, key, contentType);
    try {
      const etags: string[] = [];
      for (let at = 0; at < size; at += partBytes) etags.push(await s3.uploadPart(bucket, key, uploadId, etags.length + 1, await read(at)));
      return { size, etag: await s3.completeMultipartUpload(bucket, key, uploadId, etags) };
    } catch (err) {
      await s3.abortMultipartUpload(bucket, key, uploadId).catch(() => undefined);
      throw err;
    }
  } finally {
    await file.close();
  }
}
