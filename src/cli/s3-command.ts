// What the `wasmlet objects` commands share: s3://bucket/key locations and an S3 client for --s3-url and the token.
import { S3Client, S3ClientError } from '../client/s3-client.js';
import { tokenFor } from './client-token.js';
import { runCommand, type CommandContext } from './command-context.js';

export interface S3Location {
  readonly bucket: string;
  /** '' for the bucket itself. */
  readonly key: string;
}

/** `s3://bucket/key` (or, where `bare` is allowed, `bucket/key`). */
export function parseS3Location(value: string, bare = false): S3Location | undefined {
  const rest = value.startsWith('s3://') ? value.slice(5) : bare ? value : undefined;
  if (rest === undefined || rest === '') return undefined;
  const slash = rest.indexOf('/');
  return slash === -1 ? { bucket: rest, key: '' } : { bucket: rest.slice(0, slash), key: rest.slice(slash + 1) };
}

export function requireS3Location(value: string, what: string): S3Location {
  const location = parseS3Location(value);
  if (!location) throw new S3ClientError('bad_request', `${what} must be s3://<bucket>/<key>, got "${value}"`);
  return location;
}

/** runCommand with an S3 client for the endpoint and token (or the local host's generated one), closed afterwards. */
export function withS3(ctx: CommandContext, s3Url: string, body: (client: S3Client) => Promise<number | void>): Promise<number> {
  return runCommand(ctx, async () => {
    const client = new S3Client({ url: s3Url, token: await tokenFor(ctx, s3Url) });
    try {
      return await body(client);
    } finally {
      await client.close();
    }
  });
}
