// A typed client of the admin API over undici: one method per endpoint, every failure a WasmletError.
import { Agent, request, type Dispatcher } from 'undici';
import { WasmletError } from '../errors/wasmlet-error.js';
import { errorFromResponse, isTransportError, unreachableError } from './admin-api-error.js';
import { readServerSentEvents } from './server-sent-events.js';
import { checkTimeout, checkToken, checkUrl, type AdminClientOptions } from './admin-client-options.js';
import {
  bytesOf, checkDelay, checkHeaderValue, checkLimit, functionPath, kvKeyPath, kvStorePath, pathSegment, queryString, queuePath, secretPath,
} from './admin-request-parts.js';
import { decode, flattenHeaders, parseBody, type Shape } from './admin-response.js';
import { batchContentType, batchEntry, type BatchMessage } from './message-batch.js';
import type {
  AsyncInvokeBody,
  DeleteBody,
  DeployBody,
  FunctionBody,
  GcBody,
  HealthBody,
  InvocationBody,
  InvokeResult,
  ListBody,
  LogEntry,
  LogsBody,
  PeekBody,
  QueuesBody,
  QueueStatsBody,
  RedriveBody,
  SendBody,
  SetSecretBody,
  SecretsBody,
  DeleteSecretBody,
  KvDeleteBody,
  KvKeysBody,
  KvSetBody,
  KvStoresBody,
} from './api-types.js';

/** A followed log hears a heartbeat every 15 s (api/log-follow.ts): four missed ones mean the host is gone. */
const followIdleTimeoutMs = 60_000;
/** A host that has not accepted the connection by then is not going to. */
const connectTimeoutMs = 10_000;
const requestIdHeader = 'x-wasmlet-request-id';

interface RawResponse {
  readonly status: number;
  readonly headers: Record<string, string>;
  readonly body: Uint8Array;
}

interface Upload {
  readonly body: Uint8Array;
  readonly contentType: string;
  /** Further request headers, lower-case names. */
  readonly headers?: Readonly<Record<string, string>>;
}

/** What the host assumes for a message sent without a content type. */
const defaultMessageContentType = 'application/octet-stream';

export interface SendMessageOptions {
  /** Kept as the message's `content-type` attribute; default application/octet-stream. */
  readonly contentType?: string | undefined;
  readonly delayMs?: number | undefined;
  readonly id?: string | undefined;
}

/**
 * @example
 * const client = new AdminClient({ url: 'http://127.0.0.1:8081', token: process.env.WASMLET_TOKEN });
 * const { function: fn, unchanged } = await client.deploy(await packFunction('examples/hello-c'));
 * await client.close();
 */
export class AdminClient {
  /** The normalised base URL (no trailing slash), as shown in messages. */
  readonly url: string;
  readonly #authorization: string | undefined;
  readonly #timeoutMs: number;
  readonly #agent: Agent;

  constructor(options: AdminClientOptions) {
    if (typeof options !== 'object' || options === null) throw new WasmletError('bad_request', 'AdminClient needs options { url, token? }');
    this.url = checkUrl(options.url);
    this.#authorization = checkToken(options.token);
    this.#timeoutMs = checkTimeout(options.requestTimeoutMs);
    this.#agent = new Agent({ connect: { timeout: connectTimeoutMs } });
  }

  /** `GET /v1/health` (needs no token). */
  async health(): Promise<HealthBody> {
    return this.#json('GET', '/v1/health', { ok: 'boolean', version: 'string' });
  }

  /** `POST /v1/functions` with the bundle zip; `unchanged` is true when these exact bytes were already active. */
  async deploy(zip: Uint8Array): Promise<DeployBody> {
    if (!(zip instanceof Uint8Array) || zip.length === 0) throw new WasmletError('bundle_invalid', 'the bundle to deploy is empty');
    return this.#json('POST', '/v1/functions', { function: 'object', unchanged: 'boolean' }, { body: zip, contentType: 'application/zip' });
  }

  /** `GET /v1/functions` */
  async list(): Promise<ListBody> {
    return this.#json('GET', '/v1/functions', { functions: 'array' });
  }

  /** `GET /v1/functions/{name}` */
  async get(name: string): Promise<FunctionBody> {
    return this.#json('GET', functionPath(name), { function: 'object' });
  }

  /** `DELETE /v1/functions/{name}` */
  async delete(name: string): Promise<DeleteBody> {
    return this.#json('DELETE', functionPath(name), { deleted: 'string' });
  }

  /** `POST /v1/functions/{name}/rollback`: the previous version becomes active again. */
  async rollback(name: string): Promise<FunctionBody> {
    return this.#json('POST', `${functionPath(name)}/rollback`, { function: 'object' });
  }

  /** `GET /v1/functions/{name}/logs?limit=N`, oldest first; the host picks the default limit. */
  async logs(name: string, options: { readonly limit?: number | undefined } = {}): Promise<LogsBody> {
    const { limit } = options;
    if (limit !== undefined && (!Number.isInteger(limit) || limit < 1)) {
      throw new WasmletError('bad_request', `the log limit must be a positive integer, got ${limit}`);
    }
    const query = limit === undefined ? '' : `?limit=${limit}`;
    return this.#json('GET', `${functionPath(name)}/logs${query}`, { logs: 'array' });
  }

  /**
   * `GET /v1/functions/{name}/logs?follow=1` (server-sent events): the last `limit` entries (host
   * default 100), then each entry as it is logged. Ends when `signal` aborts (quietly) or the host
   * closes the stream; `onDropped` hears of lines the host dropped because this reader fell behind.
   * @example
   * for await (const entry of client.followLogs('hello', { signal })) console.log(entry.message);
   */
  async *followLogs(
    name: string,
    options: { readonly limit?: number | undefined; readonly signal?: AbortSignal | undefined; readonly onDropped?: (count: number) => void } = {},
  ): AsyncGenerator<LogEntry> {
    const query = new URLSearchParams({ follow: '1' });
    if (options.limit !== undefined) query.set('limit', String(checkLimit(options.limit)));
    const path = `${functionPath(name)}/logs?${query}`;
    const headers: Record<string, string> = { accept: 'text/event-stream' };
    if (this.#authorization) headers.authorization = this.#authorization;
    const { signal } = options;
    try {
      const res = await request(`${this.url}${path}`, {
        method: 'GET',
        headers,
        dispatcher: this.#agent,
        headersTimeout: this.#timeoutMs,
        bodyTimeout: followIdleTimeoutMs,
        ...(signal ? { signal } : {}),
      });
      if (res.statusCode < 200 || res.statusCode > 299) throw errorFromResponse(`GET ${path}`, res.statusCode, await res.body.text());
      for await (const event of readServerSentEvents(res.body)) {
        if (event.event === 'message') yield JSON.parse(event.data) as LogEntry;
        else if (event.event === 'dropped') options.onDropped?.((JSON.parse(event.data) as { dropped: number }).dropped);
      }
    } catch (err) {
      if (signal?.aborted) return;
      if (isTransportError(err)) throw unreachableError(this.url, err);
      throw err;
    }
  }

  /**
   * `POST /v1/functions/{name}/invoke`. Resolves with whatever the invocation produced — the function's
   * own status, or the host's error for a trap (502), timeout (504), overload (503)... — so the caller
   * decides what a status means. It rejects only when the admin API itself refused the request (no
   * such function, bad token, payload too large): those answers carry no request id.
   */
  async invoke(name: string, payload: Uint8Array | string = '', options: { readonly contentType?: string } = {}): Promise<InvokeResult> {
    const path = `${functionPath(name)}/invoke`;
    const res = await this.#send('POST', path, { body: bytesOf(payload), contentType: options.contentType ?? 'application/json' });
    const requestId = res.headers[requestIdHeader] ?? null;
    if (requestId === null && res.status >= 400) throw errorFromResponse(`POST ${path}`, res.status, decode(res.body));
    return { status: res.status, headers: res.headers, body: res.body, requestId };
  }

  /**
   * `POST /v1/functions/{name}/invoke` as an event (`x-wasmlet-invocation-type: Event`): the host answers
   * 202 once the event is stored, before the function runs; follow it with `invocation(id)`. A repeated
   * `idempotencyKey` (per function, for 24 h) answers the first invocation's id with `duplicate: true`.
   */
  async invokeAsync(
    name: string,
    payload: Uint8Array | string = '',
    options: { readonly idempotencyKey?: string | undefined; readonly contentType?: string | undefined } = {},
  ): Promise<AsyncInvokeBody> {
    const headers: Record<string, string> = { 'x-wasmlet-invocation-type': 'Event' };
    if (options.idempotencyKey !== undefined) headers['idempotency-key'] = checkHeaderValue('idempotency key', options.idempotencyKey);
    const upload = { body: bytesOf(payload), contentType: options.contentType ?? 'application/json', headers };
    return this.#json('POST', `${functionPath(name)}/invoke`, { invocationId: 'string', duplicate: 'boolean', status: 'string' }, upload);
  }

  /**
   * `POST /v1/gc`: removes the blobs and artifacts no kept version refers to, once the deploys in
   * progress are done; `dryRun` only reports what would go and the bytes it would reclaim.
   */
  async gc(options: { readonly dryRun?: boolean | undefined } = {}): Promise<GcBody> {
    return this.#json('POST', options.dryRun ? '/v1/gc?dryRun=1' : '/v1/gc', { gc: 'object' });
  }

  /** `GET /v1/invocations/{id}`: the state of an async invocation (kept 24 h after its last change). */
  async invocation(id: string): Promise<InvocationBody> {
    return this.#json('GET', `/v1/invocations/${pathSegment('an invocation id', id)}`, { invocation: 'object' });
  }

  /** `POST /v1/queues/{queue}/messages` with one message as the raw body. */
  async sendMessage(queue: string, body: Uint8Array | string, options: SendMessageOptions = {}): Promise<SendBody> {
    const headers: Record<string, string> = {};
    if (options.delayMs !== undefined) headers['x-wasmlet-delay-ms'] = String(checkDelay(options.delayMs));
    if (options.id !== undefined) headers['x-wasmlet-message-id'] = checkHeaderValue('message id', options.id);
    const upload = { body: bytesOf(body), contentType: options.contentType ?? defaultMessageContentType, headers };
    return this.#json('POST', `${queuePath(queue)}/messages`, { queue: 'string', ids: 'array' }, upload);
  }

  /** `POST /v1/queues/{queue}/messages` with several messages in one request (one transaction on the host). */
  async sendMessages(queue: string, messages: readonly BatchMessage[]): Promise<SendBody> {
    if (!Array.isArray(messages) || messages.length === 0) throw new WasmletError('bad_request', 'a batch needs at least one message');
    const batch = { messages: messages.map(batchEntry) };
    const upload = { body: new TextEncoder().encode(JSON.stringify(batch)), contentType: batchContentType };
    return this.#json('POST', `${queuePath(queue)}/messages`, { queue: 'string', ids: 'array' }, upload);
  }

  /** `GET /v1/queues`: every queue holding messages, with its counts. */
  async queues(): Promise<QueuesBody> {
    return this.#json('GET', '/v1/queues', { queues: 'array' });
  }

  /** `GET /v1/queues/{queue}`: one queue's counts and its consumer (null when no function consumes it). */
  async queueStats(queue: string): Promise<QueueStatsBody> {
    const shape: Shape = { queue: 'string', visible: 'number', inFlight: 'number', delayed: 'number' };
    return this.#json('GET', queuePath(queue), shape);
  }

  /** `GET /v1/queues/{queue}/messages?limit=N`: the oldest messages in any state, without leasing them. */
  async peek(queue: string, options: { readonly limit?: number | undefined } = {}): Promise<PeekBody> {
    const query = new URLSearchParams();
    if (options.limit !== undefined) query.set('limit', String(checkLimit(options.limit)));
    return this.#json('GET', `${queuePath(queue)}/messages${queryString(query)}`, { queue: 'string', messages: 'array' });
  }

  /**
   * `POST /v1/queues/{queue}/redrive`: moves up to `limit` messages of a dead-letter queue to `to`, by
   * default the queue whose trigger dead-letters into it. Moved messages get a fresh retry budget.
   */
  async redrive(queue: string, options: { readonly to?: string | undefined; readonly limit?: number | undefined } = {}): Promise<RedriveBody> {
    const query = new URLSearchParams();
    if (options.to !== undefined) query.set('to', options.to);
    if (options.limit !== undefined) query.set('limit', String(checkLimit(options.limit)));
    return this.#json('POST', `${queuePath(queue)}/redrive${queryString(query)}`, { from: 'string', to: 'string', moved: 'number' });
  }

  /**
   * `PUT /v1/secrets/{name}`: creates or replaces a secret; the value is the request body and never
   * comes back (the answer has its name and dates, and whether it is long enough to be masked in logs).
   */
  async setSecret(name: string, value: Uint8Array | string): Promise<SetSecretBody> {
    const upload = { body: bytesOf(value), contentType: 'application/octet-stream' };
    return this.#json('PUT', secretPath(name), { secret: 'object', created: 'boolean', redacted: 'boolean' }, upload);
  }

  /** `GET /v1/secrets`: every secret's name and dates, and the functions that read it. */
  async secrets(): Promise<SecretsBody> {
    return this.#json('GET', '/v1/secrets', { secrets: 'array' });
  }

  /** `DELETE /v1/secrets/{name}`; refused (secret_in_use) while a deployed function reads it. */
  async deleteSecret(name: string): Promise<DeleteSecretBody> {
    return this.#json('DELETE', secretPath(name), { deleted: 'string' });
  }

  /** `GET /v1/kv`: every key-value store, its size, and the functions granted it. */
  async kvStores(): Promise<KvStoresBody> {
    return this.#json('GET', '/v1/kv', { stores: 'array' });
  }

  /** `GET /v1/kv/{store}/keys`: one page of keys (pass its `cursor` back for the next). */
  async kvKeys(store: string, options: { readonly prefix?: string | undefined; readonly cursor?: string | undefined; readonly limit?: number | undefined } = {}): Promise<KvKeysBody> {
    const query = new URLSearchParams();
    if (options.prefix) query.set('prefix', options.prefix);
    if (options.cursor) query.set('cursor', options.cursor);
    if (options.limit !== undefined) query.set('limit', String(checkLimit(options.limit)));
    return this.#json('GET', `${kvStorePath(store)}/keys${queryString(query)}`, { store: 'string', keys: 'array' });
  }

  /** `GET /v1/kv/{store}/keys/{key}`: the value's bytes. */
  async kvGet(store: string, key: string): Promise<Uint8Array> {
    const path = kvKeyPath(store, key);
    const res = await this.#send('GET', path);
    if (res.status < 200 || res.status > 299) throw errorFromResponse(`GET ${path}`, res.status, decode(res.body));
    return res.body;
  }

  /** `PUT /v1/kv/{store}/keys/{key}`: creates or replaces the value (a string is sent as UTF-8). */
  async kvSet(store: string, key: string, value: Uint8Array | string): Promise<KvSetBody> {
    return this.#json('PUT', kvKeyPath(store, key), { store: 'string', key: 'string', bytes: 'number', created: 'boolean' }, { body: bytesOf(value), contentType: 'application/octet-stream' });
  }

  /** `DELETE /v1/kv/{store}/keys/{key}`; kv_key_not_found when it is absent. */
  async kvDelete(store: string, key: string): Promise<KvDeleteBody> {
    return this.#json('DELETE', kvKeyPath(store, key), { store: 'string', deleted: 'string' });
  }

  /** Closes the idle connections (they never keep the process alive, but a long-lived caller should close). */
  async close(): Promise<void> {
    await this.#agent.close();
  }

  async #json<T>(method: Dispatcher.HttpMethod, path: string, shape: Shape, send?: Upload): Promise<T> {
    const res = await this.#send(method, path, send);
    const text = decode(res.body);
    if (res.status < 200 || res.status > 299) throw errorFromResponse(`${method} ${path}`, res.status, text);
    return parseBody<T>(`${method} ${path}`, text, shape);
  }

  async #send(method: Dispatcher.HttpMethod, path: string, send?: Upload): Promise<RawResponse> {
    const headers: Record<string, string> = { accept: 'application/json', ...send?.headers };
    if (this.#authorization) headers.authorization = this.#authorization;
    if (send) headers['content-type'] = send.contentType;
    try {
      const res = await request(`${this.url}${path}`, {
        method,
        headers,
        body: send?.body ?? null,
        dispatcher: this.#agent,
        headersTimeout: this.#timeoutMs,
        bodyTimeout: this.#timeoutMs,
      });
      const body = new Uint8Array(await res.body.arrayBuffer());
      return { status: res.statusCode, headers: flattenHeaders(res.headers), body };
    } catch (err) {
      if (isTransportError(err)) throw unreachableError(this.url, err);
      throw err;
    }
  }
}
