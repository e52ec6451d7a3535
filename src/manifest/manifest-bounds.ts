// Every default and bound of wasmlet.toml, with its unit in its name and the reason for its value.

/** A function name is used in URLs, logs and queue names: one DNS label (RFC 1035) keeps it safe in all of them. */
export const functionNamePattern = /^[a-z][a-z0-9-]{0,62}$/;

/** Zip entry names can be 64 KiB long; no real component path comes near this, and messages stay readable. */
export const maxComponentPathChars = 512;

/** Routes are matched on every request; 256 characters is generous for a path prefix and bounds the work. */
export const maxRouteChars = 256;

/** Environment variables are copied into every fresh instance; Lambda's 4 KiB budget fits about this many. */
export const maxEnvEntries = 64;

/** Config is looked up by key at run time; a larger set belongs in a store, not in the manifest. */
export const maxConfigEntries = 256;
export const maxConfigKeyChars = 128;

/** A wall-clock deadline short enough to free a worker quickly when a guest hangs on its first deploy. */
export const defaultTimeoutMs = 10_000;
/** Lambda's cap (15 minutes): longer work should be split into queue messages. */
export const maxTimeoutMs = 900_000;
export const minTimeoutMs = 1;

/** Lambda's default memory size; enough for C, Rust and Go guests, and for small interpreter-based ones. */
export const defaultMemoryMb = 128;
/** wasm32 linear memory cannot address more than 4 GiB. */
export const maxMemoryMb = 4096;
export const minMemoryMb = 1;

/** 1 MiB: the usual reverse-proxy default (nginx's client_max_body_size), so a function gets no surprise. */
export const defaultMaxBodyBytes = 1_048_576;
/** 32 MiB: Cloud Run's HTTP/1 request cap; a bigger upload belongs in object storage, not a request body. */
export const maxMaxBodyBytes = 33_554_432;
/** 0 is allowed: a function that takes no body at all (GET-only webhooks) can say so. */
export const minMaxBodyBytes = 0;

/**
 * `[runtime] instance_reuse`: invocations one instance may serve. 1 = a fresh instance for every
 * invocation, the isolation the host promises by default; more lets the guest's state (globals,
 * heap, anything it cached, secrets included) outlive an invocation, within one function only.
 */
export const defaultInstanceReuse = 1;
/**
 * Past ~100 invocations the instantiation a reused instance saves is under 1% of the work anyway
 * (runtime/instance-policy.ts); the cap keeps a leak in a long-lived instance bounded.
 */
export const maxInstanceReuse = 1_000;
export const minInstanceReuse = 1;

/** Each outbound request is checked against this list; a longer list is a policy that belongs in a proxy. */
export const maxOutboundHosts = 64;
/** A host name is at most 253 characters (RFC 1035); leave room for a scheme and a port. */
export const maxOutboundHostChars = 300;

// [limits] outbound_*: the defaults live with the capability that enforces them.
export { defaultOutboundConnectTimeoutMs, defaultOutboundRequests, defaultOutboundResponseBytes, defaultOutboundTimeoutMs } from '../capabilities/outbound-http/outbound-limits.js';
/** 0 would only repeat an empty allowed_outbound_hosts; at least one request, or no grants. */
export const minOutboundRequests = 1;
/** A fan-out wider than this belongs in queue messages, one request each, not in one invocation. */
export const maxOutboundRequests = 1_000;
/** 0 is allowed: a function that only needs statuses (HEAD checks, webhooks without a reply body) can say so. */
export const minOutboundResponseBytes = 0;
/** 256 MiB: every response lands whole in the guest's linear memory; bigger data belongs in object storage. */
export const maxOutboundResponseBytes = 268_435_456;
export const minOutboundConnectTimeoutMs = 1;
/** Linux gives up on an unanswered SYN after about two minutes; a minute is already past any healthy upstream. */
export const maxOutboundConnectTimeoutMs = 60_000;
export const minOutboundTimeoutMs = 1;
/** No request outlives the longest invocation; the invocation's own deadline cuts it anyway. */
export const maxOutboundTimeoutMs = 900_000;

// [limits] kv_*: the defaults live with the key-value port that enforces them.
export {
  defaultKvMaxKeyBytes, minKvMaxKeyBytes, maxKvMaxKeyBytes, defaultKvMaxValueBytes, minKvMaxValueBytes, maxKvMaxValueBytes, defaultKvQuotaBytes, minKvQuotaBytes, maxKvQuotaBytes,
} from '../kv/key-value-limits.js';
/** Stores one function may open: each is a database the host keeps open. */
export const maxKeyValueStores = 16;

/** Buckets one function may be granted: a function touching more is a storage service, not a function. */
export const maxBucketGrants = 16;
/** [[object_event]] tables per function: one per bucket, each a consumer loop of its own. */
export const maxObjectEvents = 16;

/** Every route is compared with every other function's at deploy; a function needing more wants a "/*" route. */
export const maxHttpRoutes = 64;

/** A build command is one shell line (or a short script); anything longer belongs in a script file it calls. */
export const maxBuildCommandChars = 4096;

/** A function lists the queues it sends to; more than this is a routing table, not a function. */
export const maxPublishQueues = 32;
/** Queue triggers per function: each one is a consumer loop with its own leases. */
export const maxQueueTriggers = 16;
/** Schedules per function: each one is a timer and a row of state. */
export const maxSchedules = 16;

/** Lambda's SQS default batch size; 1 000 is plenty for one fresh instance to chew on. */
export const defaultBatchSize = 10;
export const maxBatchSize = 1_000;
/** Lambda's MaximumBatchingWindowInSeconds is 0..300 s; 0 delivers as soon as anything is there. */
export const defaultMaxBatchWaitMs = 0;
export const maxMaxBatchWaitMs = 300_000;
/** Batches of one trigger in flight at once (Lambda's ScalingConfig starts at 2). */
export const defaultQueueConcurrency = 2;
export const maxQueueConcurrency = 100;
/** Deliveries before a message is dead-lettered (SQS maxReceiveCount; 5 is the common choice). */
export const defaultMaxAttempts = 5;
export const maxMaxAttempts = 1_000;
/** Retry backoff: exponential from initial_ms, multiplied per attempt, capped at max_ms, with jitter. */
export const defaultBackoffInitialMs = 1_000;
export const defaultBackoffMaxMs = 300_000;
export const defaultBackoffMultiplier = 2;
/** The store's longest delay (12 h). */
export const maxBackoffMs = 43_200_000;
/** Leases outlive the invocation deadline with room for queueing: Lambda's advice is 6× the timeout. */
export const visibilityTimeoutFactor = 6;
/** A lease at least this long, so a short deadline never makes a healthy batch reappear. */
export const minVisibilityTimeoutMs = 30_000;
/** The store's longest lease (12 h, SQS's). */
export const maxVisibilityTimeoutMs = 43_200_000;

/** The shortest schedule rate: a second; anything faster is a loop, not a schedule. */
export const minScheduleRateMs = 1_000;
/** Deliveries of one tick before it is dropped with an error in the log (schedules have no DLQ of their own). */
export const defaultScheduleMaxAttempts = 3;

/** Lambda's async defaults: 2 retries, 1 min then 2 min apart, events older than 6 h are dropped. */
export const defaultAsyncMaxRetries = 2;
export const maxAsyncMaxRetries = 10;
export const defaultAsyncRetryDelayMs = 60_000;
export const minAsyncRetryDelayMs = 0;
export const maxAsyncRetryDelayMs = 3_600_000;
/** Lambda's MaximumEventAgeInSeconds range: 60 s to 6 h. */
export const minMaxEventAgeS = 60;
export const maxMaxEventAgeS = 21_600;
export const defaultMaxEventAgeS = 21_600;

/**
 * Invocations of one function in flight at once (computing or waiting on the network), Lambda's
 * reserved concurrency: beyond it, new calls queue (and past the queue bound, get 503), so one
 * function's flood leaves the other functions their threads. 64 matches the pool's waiting threads.
 */
export const defaultMaxConcurrency = 64;
export const minMaxConcurrency = 1;
export const maxMaxConcurrency = 1_000;
