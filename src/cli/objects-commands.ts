// `wasmlet objects ls|cp|rm|mb`: the command group that talks to the host's S3 endpoint (--s3-url)
// (the rows of main.ts's usage table that start with `wasmlet objects`; each action is in ./commands/).
import { Option, type Command } from 'commander';
import { defaultS3Url } from '../client/s3-client.js';
import { objectsCpCommand } from './commands/objects-cp.js';
import { objectsLsCommand } from './commands/objects-ls.js';
import { objectsMbCommand } from './commands/objects-mb.js';
import { objectsRmCommand } from './commands/objects-rm.js';
import { run } from './command-context.js';

/** Adds `wasmlet objects` and its subcommands to the command table. */
export function addObjectsCommands(program: Command): void {
  const objects = program
    .command('objects')
    .description("copy, list and remove objects through the host's S3 endpoint (any S3 client works too)")
    .addOption(new Option('--s3-url <url>', 'the S3 endpoint of the host').env('WASMLET_S3_URL').default(defaultS3Url));
  const s3UrlOf = (command: Command) => command.optsWithGlobals<{ s3Url: string }>().s3Url;

  objects
    .command('ls')
    .description('list the buckets, or the keys and prefixes of bucket[/prefix] one level deep')
    .argument('[target]', 'bucket, bucket/prefix or s3://bucket/prefix (default: the buckets)')
    .option('--recursive', 'every key under the prefix, not one level', false)
    .action((target: string | undefined, options: { recursive: boolean }, command: Command) => run(command, (ctx) => objectsLsCommand(target, { ...options, s3Url: s3UrlOf(command) }, ctx)));

  objects
    .command('cp')
    .description('upload a file to s3://bucket/key, or download s3://bucket/key to a file (- for stdout)')
    .argument('<source>', 'a local file or s3://bucket/key')
    .argument('<destination>', 's3://bucket/key (a trailing / keeps the file name), or a local file or folder')
    .option('--content-type <type>', 'upload: the content type stored with the object')
    .action((source: string, destination: string, options: { contentType?: string }, command: Command) => run(command, (ctx) => objectsCpCommand(source, destination, { ...options, s3Url: s3UrlOf(command) }, ctx)));

  objects
    .command('rm')
    .description('delete s3://bucket/key, or with --recursive every object under s3://bucket/prefix')
    .argument('<target>', 's3://bucket/key')
    .option('--recursive', 'every key under the prefix', false)
    .action((target: string, options: { recursive: boolean }, command: Command) => run(command, (ctx) => objectsRmCommand(target, { ...options, s3Url: s3UrlOf(command) }, ctx)));

  objects
    .command('mb')
    .description('create a bucket (3-63 lower-case letters, digits, dots and hyphens)')
    .argument('<bucket>', 'bucket or s3://bucket')
    .action((bucket: string, _options, command: Command) => run(command, (ctx) => objectsMbCommand(bucket, { s3Url: s3UrlOf(command) }, ctx)));
}
