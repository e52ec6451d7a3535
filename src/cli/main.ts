// The `wasmlet` command table: each command's action is a library function in ./commands/; the groups
// `queue`, `secret`, `kv` and `objects` are added from tables of their own (./<group>-commands.ts).
//
// Usage (global options work on every command, before or after it):
//   --admin-url <url>   admin API of the host (env WASMLET_ADMIN_URL, default http://127.0.0.1:8081)
//   --token <token>     bearer token of the admin API; for `serve`, the token it requires (env WASMLET_TOKEN)
//   --data-dir <dir>    the host's data dir (env WASMLET_DATA_DIR, default .wasmlet): `serve` keeps its state there and,
//                       without --token, generates its token into <dir>/admin-token (mode 0600); client commands send
//                       that token to a loopback host when no --token is given
//   --json              the admin API's JSON on stdout, one line; failures as error JSON on stdout
//
//   wasmlet serve [--port 8080] [--admin-port 8081] [--s3-port 8082] [--host 127.0.0.1] [--workers <cpus>] [--deploy-examples]
//                 [--queue-durability normal|full] [--secret-key-file <path>] [--otlp-endpoint <url>]
//                 [--nats <urls> [--nats-creds <file>] [--nats-tls-ca|cert|key <file>] [--nats-replicas <n>]]
//                 [--header-timeout-ms 10000] [--request-timeout-ms 30000] [--keep-alive-timeout-ms 5000]
//                 [--max-connections 4096] [--max-requests-per-socket 1000]   (the function port's limits on clients)
//   wasmlet deploy <folder|bundle.zip>   POST   /v1/functions                  deployed hello v2 sha256:1a2b3c4d…  GET,POST /hello
//   wasmlet list                         GET    /v1/functions                  NAME  VERSION  ROUTES  DEPLOYED
//   wasmlet invoke <name> [--data <text> | --data-file <path>]
//                                        POST   /v1/functions/{name}/invoke    the response body, raw, on stdout
//   wasmlet invoke <name> --async [--idempotency-key <k>] [--data ...]
//                                        POST   /v1/functions/{name}/invoke    queued 01JDQ7… (or: duplicate of 01JDQ7…)
//                                               (x-wasmlet-invocation-type: Event)
//   wasmlet invocation <id>              GET    /v1/invocations/{id}           state, attempts, status, last error, times
//   wasmlet logs <name> [--limit <n>] [--follow]
//                                        GET    /v1/functions/{name}/logs[?follow=1]   time level [requestId] message (--follow: live, until Ctrl-C)
//   wasmlet delete <name>                DELETE /v1/functions/{name}
//   wasmlet rollback <name>              POST   /v1/functions/{name}/rollback
//   wasmlet gc [--dry-run]               POST   /v1/gc[?dryRun=1]              would remove  blob  blobs/sha256/1a2b…  1.0 MiB; would reclaim …
//   wasmlet console [--open]             GET    /v1/functions (token check)    http://127.0.0.1:8081/console#token=… (--open: xdg-open it)
//   wasmlet queue send <queue> (--data <text> | --data-file <path> | --batch-file <lines>)
//                [--delay-ms <n>] [--attribute k=v ...] [--content-type <t>]
//                                        POST   /v1/queues/{queue}/messages    the new ids, one a line
//   wasmlet queue stats [queue]          GET    /v1/queues[/{queue}]           QUEUE  VISIBLE  IN-FLIGHT  DELAYED  OLDEST  [CONSUMER]
//   wasmlet queue peek <queue> [--limit <n>]
//                                        GET    /v1/queues/{queue}/messages    id  state  attempt N  "body"  error: ...
//   wasmlet queue dlq <dlq> [--limit <n>]
//                                        GET    /v1/queues/{dlq}/messages      (as peek)
//   wasmlet queue dlq <dlq> --redrive [--to <queue>] [--limit <n>]
//                                        POST   /v1/queues/{dlq}/redrive       moved 3 message(s) from jobs-dlq to jobs
//   wasmlet secret set <name>           PUT    /v1/secrets/{name}             the value from stdin (a terminal: typed, not shown)
//   wasmlet secret list                  GET    /v1/secrets                    NAME  UPDATED  CREATED  USED BY
//   wasmlet secret delete <name>         DELETE /v1/secrets/{name}             refused while a deployed function reads it
//   wasmlet kv list [store] [--prefix p] GET    /v1/kv[/{store}/keys]          STORE  KEYS  BYTES  GRANTED TO; or the keys, one a line
//   wasmlet kv get <store> <key>         GET    /v1/kv/{store}/keys/{key}      the value, raw, on stdout
//   wasmlet kv set <store> <key> (<value> | --data-file <path>)
//                                        PUT    /v1/kv/{store}/keys/{key}      created default/greeting (5 bytes)
//   wasmlet kv delete <store> <key>      DELETE /v1/kv/{store}/keys/{key}
//   wasmlet objects [--s3-url <url>] ls [bucket[/prefix]] [--recursive]
//                                        S3     ListBuckets / ListObjectsV2        date  size  key; PRE prefix/ (like `aws s3 ls`)
//   wasmlet objects cp <file> s3://b/k | cp s3://b/k <file|->
//                                        S3     PutObject (multipart > 16 MiB) / GetObject   upload: ... / download: ...
//   wasmlet objects rm s3://b/k [--recursive]   S3 DeleteObject / DeleteObjects   delete: s3://b/k
//   wasmlet objects mb s3://b            S3     CreateBucket                    make_bucket: b
//                                        (the S3 endpoint: --s3-url, env WASMLET_S3_URL, default http://127.0.0.1:8082; SigV4 with the token)
//   wasmlet build [dir] [--out <zip>]    (local) recipe or [build] command -> component -> <dir>/<name>.zip; summary
//   wasmlet new <template> <dir> [--name <n>]
//                                        (local) a function folder from templates/<template>/, ready to build
//                                        (templates: each language, and <language>-http wasi:http variants)
//   wasmlet bench [--only <scenario,...>] [--quick] [--out <dir>] [--previous <results.json>]
//                                        (local) the benchmark suite (dist/bench/run.js): tables, JSON + SVG in bench/results/
//   wasmlet bench <name|folder|zip> [--local] [--path p] [--method m] [--header 'k: v'] [--body text|@file] [--invoke | --queue [q]]
//                [--vary key=v1,v2 | --against <target>] [--duration s] [--requests n] [--connections n] [--rounds n] [--out dir]
//                                        deploys copies (temporary names, removed after), drives the function: table, JSON + SVG (docs/bench.md)
//
// Failures: exit 1 (2 for a wrong command line) and one line on stderr, `wasmlet: <message> (<code>)`;
// with --json the error JSON `{"error":{"code","message"}}` on stdout instead (see outputRulesHelp).
import { availableParallelism } from 'node:os';
import { Argument, Command, CommanderError, Option } from 'commander';
import { templateNames, type TemplateName } from '../build/create-function.js';
import { hostVersion } from '../host/host-version.js';
import { processOutput } from './cli-output.js';
import { defaultAdminUrl, run } from './command-context.js';
import { benchCommand } from './commands/bench.js';
import { benchTargetCommand, parseSeconds, targetOnlyOptions } from './commands/bench-target.js';
import { buildCommand } from './commands/build.js';
import { deleteCommand } from './commands/delete.js';
import { deployCommand } from './commands/deploy.js';
import { gcCommand } from './commands/gc.js';
import { consoleCommand } from './commands/console.js';
import { invocationCommand } from './commands/invocation.js';
import { invokeCommand } from './commands/invoke.js';
import { listCommand } from './commands/list.js';
import { logsCommand } from './commands/logs.js';
import { newCommand } from './commands/new.js';
import { rollbackCommand } from './commands/rollback.js';
import { queueDurabilities, serveCommand } from './commands/serve.js';
import { logFormats } from '../observe/json-log-line.js';
import { buildHelp } from './build-help.js';
import { newHelp, newTemplateArgumentHelp } from './new-help.js';
import { addKvCommands } from './kv-commands.js';
import { addObjectsCommands } from './objects-commands.js';
import { addQueueCommands } from './queue-commands.js';
import { addSecretCommands } from './secret-commands.js';
import { exitFailure, exitUsage, outputRulesHelp, reportFailure } from './failure.js';
import { parseMebibytes, parseNonNegativeInteger, parsePort, parsePositiveInteger, parseSize } from './option-parsers.js';
import { defaultServerLimits } from '../host/server-limits.js';
import { defaultMaxQueueMessages } from '../queue/queue-quota.js';

const program = new Command('wasmlet')
  .description('Run WASI components as functions: deploy bundles to a host, call their HTTP routes.')
  .version(hostVersion)
  .addOption(new Option('--admin-url <url>', 'admin API of the host').env('WASMLET_ADMIN_URL').default(defaultAdminUrl))
  .addOption(new Option('--token <token>', 'admin API bearer token (serve: the token to require; default: the one generated into <data-dir>/admin-token)').env('WASMLET_TOKEN'))
  .addOption(new Option('--data-dir <dir>', "the host's data dir: serve keeps bundles, queues, logs and its generated admin token there; client commands read that token for a loopback host").env('WASMLET_DATA_DIR').default('.wasmlet'))
  .option('--json', "machine output: the admin API's JSON, one line", false)
  .configureHelp({ showGlobalOptions: true })
  .addHelpText('after', outputRulesHelp)
  .showSuggestionAfterError()
  .exitOverride()
  .configureOutput({ outputError: () => undefined }); // usage errors are reported by the rule below

program
  .command('serve')
  .description('run the host: function routes on --port, the admin API on --admin-port, S3 on --s3-port')
  .option('--port <n>', 'port of the function routes', parsePort, 8080)
  .option('--admin-port <n>', 'port of the admin API', parsePort, 8081)
  .option('--s3-port <n>', 'port of the S3-compatible object storage endpoint (access key id "wasmlet", secret = --token)', parsePort, 8082)
  .option('--host <addr>', 'address to listen on (not loopback: --token is required)', '127.0.0.1')
  .addOption(new Option('--workers <n>', 'guests computing at once (compute slots)').argParser(parsePositiveInteger).default(availableParallelism(), 'number of CPUs'))
  .addOption(new Option('--max-waiting-threads <n>', 'extra threads for guests waiting on the network or a timer (they give their compute slot back)').argParser(parseNonNegativeInteger).default(64))
  .option('--deploy-examples', 'deploy the bundled examples at start', false)
  .addOption(
    new Option('--queue-durability <mode>', 'queue commits: normal survives a process crash, full also a power loss (one fsync each)')
      .choices(queueDurabilities)
      .default('normal'),
  )
  .option('--secret-key-file <path>', 'the key secrets are sealed with: 32 raw bytes or 64 hex characters (default: generated once into <data-dir>/secret.key)')
  .option('--header-timeout-ms <ms>', `function port: time a client has to send a request's headers, else 408 and closed (default ${defaultServerLimits.headerTimeoutMs})`, parsePositiveInteger)
  .option('--request-timeout-ms <ms>', `function port: time a client has to send a whole request, body included (default ${defaultServerLimits.requestTimeoutMs}; admin and S3: at least 300000)`, parsePositiveInteger)
  .option('--keep-alive-timeout-ms <ms>', `an idle keep-alive connection is closed after this long (default ${defaultServerLimits.keepAliveTimeoutMs})`, parsePositiveInteger)
  .option('--max-connections <n>', `connections open at once, per port; more are closed on arrival (default ${defaultServerLimits.maxConnections})`, parsePositiveInteger)
  .option('--max-requests-per-socket <n>', `requests one connection may carry before it is closed (default ${defaultServerLimits.maxRequestsPerSocket})`, parsePositiveInteger)
  .option('--memory-budget <size>', 'guest memory running at once, all functions together: each running call reserves its memory_mb, a call that does not fit waits (MiB, or 8G; default 60% of the machine)', parseMebibytes)
  .option('--max-instance-memory <size>', 'the largest memory_mb a deploy may ask for (MiB, or 2G; default 4096, never above --memory-budget)', parseMebibytes)
  .option('--disk-budget <size>', 'what the data dir may hold; queue sends and deploys past it get 507 (e.g. 20G; default half of its disk)', parseSize)
  .option('--disk-reserve <size>', 'free space always left on the data dir\'s disk (default 1G, at most 5% of the disk)', parseSize)
  .option('--queue-max-messages <n>', `messages one queue may hold; sends past it get 429 (default ${defaultMaxQueueMessages})`, parsePositiveInteger)
  .option('--queue-max-bytes <size>', 'message bodies one queue may hold; sends past it get 429 (default 1G)', parseSize)
  .option('--otlp-endpoint <url>', 'export traces over OTLP/HTTP (JSON) to this collector, e.g. http://127.0.0.1:4318 (/v1/traces is appended); without it nothing is traced')
  .option('--nats <urls>', 'queues, async invocations, schedules, key-value stores, the function registry, bundles and S3 buckets on NATS JetStream, shared by every host given the same cluster (comma-separated nats:// URLs; docs/scale-out.md)')
  .option('--nats-creds <file>', 'with --nats: a NATS credentials file (JWT and seed)')
  .option('--nats-tls-ca <file>', 'with --nats: the CA that signed the servers\' certificates (turns TLS on)')
  .option('--nats-tls-cert <file>', 'with --nats: a client certificate for TLS')
  .option('--nats-tls-key <file>', 'with --nats: the client certificate\'s key')
  .option('--nats-replicas <n>', 'with --nats: replicas of the streams and buckets the host creates (3 in a 3-node cluster; default 1)', parsePositiveInteger)
  .option('--metrics-public', 'serve GET /metrics on the admin port without the token, for a Prometheus scraper on this machine (loopback --host only)', false)
  .addOption(new Option('--log-format <format>', "the host's own log on stderr: text, or JSON lines with time, level, message, requestId, traceId").choices(logFormats).default('text'))
  .action((options, command: Command) => run(command, (ctx) => serveCommand({ ...options, dataDir: ctx.dataDir ?? '.wasmlet' }, ctx)));

program
  .command('deploy')
  .description('deploy a function: a folder with wasmlet.toml (zipped for you) or a bundle .zip')
  .argument('<path>', 'folder or .zip')
  .action((path: string, _options, command: Command) => run(command, (ctx) => deployCommand(path, ctx)));

program
  .command('list')
  .description('list the deployed functions')
  .action((_options, command: Command) => run(command, (ctx) => listCommand(ctx)));

program
  .command('invoke')
  .description('call a function directly (as POST /); its response body goes to stdout; exit 1 when status >= 400')
  .argument('<name>', 'function name')
  .option('--data <text>', 'payload, usually JSON')
  .addOption(new Option('--data-file <path>', 'read the payload from a file').conflicts('data'))
  .option('--async', 'queue it as an event and print its invocation id at once (follow it with `wasmlet invocation <id>`)', false)
  .option('--idempotency-key <key>', 'with --async: the same key (per function, for 24 h) queues nothing new')
  .action((name: string, options: { async: boolean; idempotencyKey?: string }, command: Command) => {
    if (options.idempotencyKey !== undefined && !options.async) command.error('--idempotency-key needs --async');
    return run(command, (ctx) => invokeCommand(name, options, ctx));
  });

program
  .command('invocation')
  .description('show the state of an async invocation (records are kept for 24 hours)')
  .argument('<id>', 'invocation id, as `invoke --async` printed it')
  .action((id: string, _options, command: Command) => run(command, (ctx) => invocationCommand(id, ctx)));

program
  .command('logs')
  .description("show a function's recent log lines, oldest first")
  .argument('<name>', 'function name')
  .option('--limit <n>', 'how many entries (host default 100, at most 1000)', parsePositiveInteger)
  .option('-f, --follow', 'then keep printing new lines as they are logged, until Ctrl-C (server-sent events)', false)
  .action((name: string, options, command: Command) => run(command, (ctx) => logsCommand(name, options, ctx)));

program
  .command('delete')
  .description('remove a function and its routes')
  .argument('<name>', 'function name')
  .action((name: string, _options, command: Command) => run(command, (ctx) => deleteCommand(name, ctx)));

program
  .command('rollback')
  .description('make the previous version of a function active again')
  .argument('<name>', 'function name')
  .action((name: string, _options, command: Command) => run(command, (ctx) => rollbackCommand(name, ctx)));

program
  .command('gc')
  .description('remove the bundles, components and artifacts that no kept version of any function refers to (the host also does after deletes and failed deploys)')
  .option('--dry-run', 'only list what would go and the bytes it would reclaim', false)
  .action((options: { dryRun: boolean }, command: Command) => run(command, (ctx) => gcCommand(options, ctx)));

program
  .command('console')
  .description('print the web console link of the host, signed in (the token is in the #fragment, which browsers never send): treat it like the token')
  .option('--open', 'also open it in the desktop browser (xdg-open)', false)
  .action((options: { open: boolean }, command: Command) => run(command, (ctx) => consoleCommand(options, ctx)));

addQueueCommands(program);

addSecretCommands(program);

addKvCommands(program);

program
  .command('build')
  .description("build a function folder: its language's recipe (or [build] command), then the bundle zip; reports size and imports")
  .argument('[dir]', 'function folder with wasmlet.toml', '.')
  .option('--out <file>', 'where to write the bundle zip (default: <dir>/<name>.zip)')
  .addHelpText('after', buildHelp)
  .action((dir: string, options, command: Command) => run(command, (ctx) => buildCommand(dir, options, ctx)));

program
  .command('new')
  .description('create a function folder from a template: handler, unit test, wasmlet.toml (no grants), README')
  .addArgument(new Argument('<template>', newTemplateArgumentHelp).choices(templateNames))
  .argument('<dir>', 'new or empty folder; its name is the function name')
  .option('--name <name>', "function name (default: the folder's name)")
  .addHelpText('after', newHelp)
  .action((template: TemplateName, dir: string, options, command: Command) => run(command, (ctx) => newCommand(template, dir, options, ctx)));

program
  .command('bench')
  .description('benchmark a function (a deployed name, a folder or a zip): cold call, latency and throughput at rising concurrency, side by side with --vary or --against; without a target, the host\'s benchmark suite from a checkout')
  .argument('[target]', 'a deployed function name, a function folder or a bundle .zip (none: the suite)')
  .option('--local', 'target: deploy to a host started in this process on a temporary data dir (folder or zip)', false)
  .option('--path <path>', 'target: the HTTP path to call (default: its first route)')
  .option('--method <method>', 'target: the HTTP method (default GET, POST with --body)')
  .option('--header <name: value>', 'target: a request header; repeat for more', (value: string, previous: string[] = []) => [...previous, value])
  .option('--body <text|@file>', 'target: the request, invoke or message body: text, or @file for its bytes')
  .option('--content-type <type>', 'target: the body\'s content type (default application/json)')
  .option('--invoke', 'target: call it as a direct invocation (POST /v1/functions/{name}/invoke)', false)
  .option('--queue [queue]', 'target: send messages to its queue (default: its first [[queue]]); a call ends when the message left the queue')
  .option('--vary <key=v1,v2>', 'target: one temporary copy per value of memory_mb, instance_reuse or init_snapshot (the first is the baseline)')
  .option('--against <target>', 'target: compare with another function or version (a deployed name, folder or zip)')
  .option('--duration <seconds>', 'target: measured seconds per configuration and concurrency level (default 5)', parseSeconds)
  .option('--requests <n>', 'target: measured calls per configuration and level (with --duration: whichever ends first)', parsePositiveInteger)
  .option('--connections <n>', 'target: the highest concurrency tried (levels 1, 2, 4, ... up to it; default 64)', parsePositiveInteger)
  .option('--rounds <n>', 'target: alternating blocks per level, so drift falls on every configuration (default 2)', parsePositiveInteger)
  .option('--http-url <url>', "target: the host's function port (default: the admin URL's address, port 8080)")
  .option('--workers <n>', 'target with --local: compute slots of the local host (default: CPUs)', parsePositiveInteger)
  .option('--only <scenarios>', 'suite: comma-separated scenarios, e.g. http,outbound,waiting (default: all; an unknown name lists them)')
  .option('--quick', 'suite: short counts and durations: a fast look, not numbers to quote', false)
  .option('--out <dir>', 'where the JSON and SVG go (suite: default bench/results/, bench/results/partial/ for --quick or --only; target: default ./wasmlet-bench/)')
  .option('--previous <file>', 'suite: the results JSON the goals table\'s "before" column reads (default bench/results/latest.json)')
  .action((target: string | undefined, options, command: Command) => {
    const misplaced = target === undefined ? targetOnlyOptions(options) : [];
    if (misplaced.length > 0) command.error(`${misplaced.join(', ')} need${misplaced.length === 1 ? 's' : ''} a target: wasmlet bench <name|folder|zip> ${misplaced[0]} ...`);
    if (target === undefined) return run(command, (ctx) => benchCommand(options, ctx));
    if (options.only !== undefined || options.quick || options.previous !== undefined) command.error('--only, --quick and --previous are options of the suite (wasmlet bench without a target)');
    return run(command, (ctx) => benchTargetCommand(target, options, ctx));
  });

addObjectsCommands(program);

try {
  await program.parseAsync(process.argv);
} catch (err) {
  if (!(err instanceof CommanderError)) throw err;
  // Help and --version exit 0; help shown because no command was given is a usage error.
  if (err.exitCode === 0) process.exitCode = 0;
  else if (err.code === 'commander.help' || err.code === 'commander.helpDisplayed') process.exitCode = exitUsage;
  else {
    const message = err.message.replace(/^error: /, '');
    reportFailure(processOutput, jsonRequested(process.argv), { code: 'bad_request', message });
    process.exitCode = err.exitCode === exitFailure ? exitUsage : err.exitCode;
  }
}

/** Parsing failed, so the options object is incomplete: look for --json on the command line itself. */
function jsonRequested(argv: readonly string[]): boolean {
  const end = argv.indexOf('--');
  return (end === -1 ? argv : argv.slice(0, end)).includes('--json');
}
