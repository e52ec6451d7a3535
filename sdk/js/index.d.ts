// Types of wasmlet's JavaScript guest SDK (`import { ... } from 'wasmlet'`), for editors
// and TypeScript handlers. The implementation is index.js beside this file.

/// <reference path="./types/function.d.ts" />
// The WIT records come from types/, generated from sdk/wit (world `function`) by
// `npm run sdk-types` (jco guest-types).

/** The `http-request` record of sdk/wit/function.wit. */
export type HttpRequest = import('wasmlet:function/http-handler@0.1.0').HttpRequest;

/** The `http-response` record of sdk/wit/function.wit. */
export type HttpResponse = import('wasmlet:function/http-handler@0.1.0').HttpResponse;

export type Headers = Record<string, string> | [string, string][];
export type Body = string | Uint8Array | ArrayBuffer | ArrayBufferView | null | undefined;

/** What a handler may return: a response (plain objects are checked and converted) or a string (200 text/plain). */
export type HandlerResult = HttpResponse | { status: number; headers?: Headers; body?: Body } | string;

/** The HTTP handler of a function module: `export function handle(request) { ... }`. */
export type Handler = (request: HttpRequest) => HandlerResult;

export function response(status: number, body?: Body, headers?: Headers): HttpResponse;
/** `text/plain; charset=utf-8` unless `headers` sets a content-type. */
export function text(status: number, s: string, headers?: Headers): HttpResponse;
/** `text/html; charset=utf-8` unless `headers` sets a content-type. */
export function html(status: number, s: string, headers?: Headers): HttpResponse;
/** `application/json`: JSON.stringify(value) plus a newline. */
export function json(status: number, value: unknown, headers?: Headers): HttpResponse;

/** Read-only, URLSearchParams-like view of a query string (form-decoded: '+' is a space). */
export class QueryParams implements Iterable<[string, string]> {
  constructor(query: string);
  get(name: string): string | null;
  getAll(name: string): string[];
  has(name: string): boolean;
  entries(): IterableIterator<[string, string]>;
  [Symbol.iterator](): IterableIterator<[string, string]>;
  /** A plain object; a repeated name keeps its last value. */
  toObject(): Record<string, string>;
}
export function queryParams(request: HttpRequest): QueryParams;
/** First value of a header, matched case-insensitively. */
export function header(request: HttpRequest, name: string): string | undefined;
/** The body of a request, a queue message or a fetched response as UTF-8 text. */
export function bodyText(requestOrMessage: { body: Uint8Array }): string;
/** Parsed JSON body of a request, a queue message or a fetched response; `fallback` when empty or invalid, otherwise throws SyntaxError. */
export function bodyJson<T = unknown>(requestOrMessage: { body: Uint8Array }, fallback?: T): T;
/** True for `wasmlet invoke` / POST /v1/functions/{name}/invoke (header x-wasmlet-invocation: direct). */
export function isDirectInvocation(request: HttpRequest): boolean;

/**
 * The `message` record of sdk/wit/function.wit as the QuickJS guest sees it: a u64 arrives as
 * a number (exact up to 2^53 ms, far beyond any date), not the bigint jco's host bindings use.
 */
export type QueueMessage = Omit<import('wasmlet:function/queue-handler@0.1.0').Message, 'enqueuedAt'> & {
  /** When the message was first sent, in milliseconds since the Unix epoch. */
  enqueuedAt: number;
};

/** The `message-result` variant: build it with ok(), retry() or fail(). */
export type MessageResult =
  | { tag: 'ok' }
  | { tag: 'retry'; val: number | null }
  | { tag: 'fail'; val: string };

/**
 * `export function handleMessage(message, queue)`: one call per message. Returning nothing (or
 * ok()) deletes it; retry()/fail() as below; a throw retries the message with the trigger's backoff.
 */
export type MessageHandler = (message: QueueMessage, queue: string) => MessageResult | void;

/**
 * `export function handleBatch(queue, messages)`: one result per message, in order (nothing
 * counts as ok). A throw is `err`: the whole batch is delivered again.
 */
export type BatchHandler = (queue: string, messages: QueueMessage[]) => Array<MessageResult | void | undefined>;

/** Done: the message is deleted. */
export function ok(): MessageResult;
/** Deliver again after `delayMs`, or after the trigger's backoff when omitted (until `max_attempts`, then the dead-letter queue). */
export function retry(delayMs?: number): MessageResult;
/** Permanent failure: the message goes to the dead-letter queue now, with this reason. */
export function fail(reason: string): MessageResult;
/** First value of a message attribute, matched exactly; undefined when absent. */
export function attribute(message: QueueMessage, name: string): string | undefined;

/** The `schedule-event` record, with `scheduledAt` a number (see QueueMessage). */
export type ScheduleEvent = Omit<import('wasmlet:function/schedule-handler@0.1.0').ScheduleEvent, 'scheduledAt'> & {
  /** The tick this event is for, in milliseconds since the Unix epoch (not when it runs). */
  scheduledAt: number;
};

/** `export function handleSchedule(event)`: returning is ok; a throw retries the event with the schedule's backoff. */
export type ScheduleHandler = (event: ScheduleEvent) => void;

export interface SendOptions {
  /** Routing metadata, e.g. `{ 'content-type': 'application/json' }`; at most 32 pairs. */
  attributes?: Record<string, string | number> | [string, string][];
  /** Hidden from consumers for this many milliseconds after publishing (default 0). */
  delayMs?: number;
}

/** The host refused a message: its queue is not in the manifest's `publish`, or it is too large or malformed. */
export class SendError extends Error {
  readonly name: 'SendError';
  readonly queue: string;
  /** The host's words. */
  readonly reason: string;
}

/**
 * Sends a message (published when the invocation returns) and returns its id.
 * @throws SendError when the host refuses it
 */
export function send(queue: string, body: Body, options?: SendOptions): string;
/** Sends `JSON.stringify(value)` with content-type application/json (unless the attributes set one). */
export function sendJson(queue: string, value: unknown, options?: SendOptions): string;

/** The `error-code` enum of `wasmlet:function/outbound-http`. */
export type FetchErrorCode = import('wasmlet:function/outbound-http@0.1.0').ErrorCode;

export type FetchHeadersInit = FetchHeaders | Record<string, string | number> | [string, string | number][] | { entries(): Iterable<[string, string]> };

export interface FetchInit {
  /** Default GET; sent upper-cased. */
  method?: string;
  headers?: FetchHeadersInit;
  /** A string is sent as UTF-8, with content-type text/plain;charset=UTF-8 unless a header sets one. Not with GET or HEAD. */
  body?: Body;
  /** The host always follows redirects (at most 5, each hop checked against allowed_outbound_hosts). */
  redirect?: 'follow';
}

/** A Request-like input: what fetch takes from it when `init` does not say otherwise. */
export interface FetchRequestLike {
  url: string;
  method?: string;
  headers?: FetchHeadersInit;
  body?: Body;
}

/** WHATWG-Headers-like: names case-insensitive, repeated headers joined with ", " by `get`. */
export class FetchHeaders implements Iterable<[string, string]> {
  constructor(init?: FetchHeadersInit | null);
  get(name: string): string | null;
  has(name: string): boolean;
  getSetCookie(): string[];
  append(name: string, value: string): void;
  set(name: string, value: string): void;
  delete(name: string): void;
  /** Sorted by name, repeated headers joined. */
  entries(): IterableIterator<[string, string]>;
  keys(): IterableIterator<string>;
  values(): IterableIterator<string>;
  forEach(callback: (value: string, name: string, headers: FetchHeaders) => void, thisArg?: unknown): void;
  [Symbol.iterator](): IterableIterator<[string, string]>;
}

/** What fetch/fetchSync return: the whole response has arrived. */
export class FetchResponse {
  readonly status: number;
  /** A 2xx status. */
  readonly ok: boolean;
  /** Always '': the host reports no reason phrase. */
  readonly statusText: string;
  readonly headers: FetchHeaders;
  /** The requested URL (redirects are followed by the host). */
  readonly url: string;
  /** The whole body as bytes (not a ReadableStream): bodyText(res) and bodyJson(res) read it synchronously. */
  readonly body: Uint8Array;
  text(): Promise<string>;
  json<T = unknown>(): Promise<T>;
  arrayBuffer(): Promise<ArrayBuffer>;
  bytes(): Promise<Uint8Array>;
}

/** No response came: `code` names the WIT error-code; an HTTP error status is a response, not this. */
export class FetchError extends TypeError {
  readonly name: 'FetchError';
  readonly code: FetchErrorCode;
  /** The host's explanation, for logs; not a stable interface. */
  readonly reason: string;
  readonly method: string;
  readonly url: string;
}

/**
 * Sends a request to an origin the manifest grants in `allowed_outbound_hosts` and returns the whole
 * response. Handlers use this one: the QuickJS guest cannot await.
 * @throws FetchError when no response came; TypeError for arguments it cannot send
 */
export function fetchSync(input: string | FetchRequestLike, init?: FetchInit): FetchResponse;
/**
 * WHATWG-style: a settled Promise of fetchSync's result. For code written against the standard API;
 * inside a handler no promise callback runs before the result is returned, so use fetchSync.
 */
export function fetch(input: string | FetchRequestLike, init?: FetchInit): Promise<FetchResponse>;

/** Ends the invocation as a trap (logged first): HTTP 502, a batch or event retried, nothing published. */
export function trap(reason: string): never;

type LogFn = (...args: unknown[]) => void;
/** Host log lines, captured per invocation (`wasmlet logs NAME`). */
export const log: Readonly<{ debug: LogFn; info: LogFn; warn: LogFn; error: LogFn }>;
/** A value from the manifest's `[config]` table; undefined when absent. */
export function config(key: string): string | undefined;

export function encodeUtf8(s: string): Uint8Array;
export function decodeUtf8(bytes: Uint8Array | ArrayBuffer | ArrayLike<number>): string;

/**
 * Why the host refused a key-value operation: `access-denied` (the store is not in
 * `key_value_stores`), `no-such-store`, or the host's code — `kv_key_invalid`, `kv_value_too_large`,
 * `kv_quota_exceeded` (nothing was written), `kv_not_a_counter`, `bad_request` — and `cas_failed`
 * when update() lost every attempt.
 */
export class KeyValueError extends Error {
  readonly code: string;
}

export type KeyValueBytes = string | Uint8Array | ArrayBuffer | ArrayBufferView;

/** An open store (wasi:keyvalue@0.2.0-draft2 bucket); every call returns once the host has answered. */
export class KeyValueStore {
  readonly name: string;
  get(key: string): Uint8Array | undefined;
  getText(key: string): string | undefined;
  getJson<T = unknown>(key: string): T | undefined;
  /** A string is stored as UTF-8. */
  set(key: string, value: KeyValueBytes): void;
  setJson(key: string, value: unknown): void;
  delete(key: string): void;
  exists(key: string): boolean;
  /** One page (up to 1000 keys, in UTF-8 byte order); `cursor` undefined on the last page. */
  listKeys(cursor?: string): { keys: string[]; cursor: string | undefined };
  /** Every key, all pages, optionally only those starting with `prefix`. */
  keys(options?: { prefix?: string }): string[];
  /** Adds `delta` (default 1) to the decimal counter at `key` (absent: 0); returns the new value. */
  increment(key: string, delta?: number): number;
  /** Compare-and-swap loop: `fn` gets the current value (undefined when absent) and returns the new one; rerun when another writer won. */
  update(key: string, fn: (current: Uint8Array | undefined) => KeyValueBytes, options?: { attempts?: number }): Uint8Array;
  getMany(keys: string[]): Array<Uint8Array | undefined>;
  setMany(entries: Record<string, KeyValueBytes> | Array<[string, KeyValueBytes]>): void;
  deleteMany(keys: string[]): void;
}

/**
 * Opens a store the manifest grants (`key_value_stores = ["default"]`).
 * @throws KeyValueError access-denied when it is not granted
 */
export function openStore(name?: string): KeyValueStore;
