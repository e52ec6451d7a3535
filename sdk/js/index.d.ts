// Types of wasmlet's JavaScript guest SDK (`import { ... } from 'wasmlet'`), for editors
// and TypeScript handlers. The implementation is index.js beside this file.

/// <reference path="./types/http-function.d.ts" />
// The WIT records come from types/, generated from sdk/wit by `npm run sdk-types` (jco guest-types).

/** The `http-request` record of sdk/wit/function.wit. */
export type HttpRequest = import('wasmlet:function/http-handler@0.1.0').HttpRequest;

/** The `http-response` record of sdk/wit/function.wit. */
export type HttpResponse = import('wasmlet:function/http-handler@0.1.0').HttpResponse;

export type Headers = Record<string, string> | [string, string][];
export type Body = string | Uint8Array | ArrayBuffer | ArrayBufferView | null | undefined;

/** What a handler may return: a response (plain objects are checked and converted) or a string (200 text/plain). */
export type HandlerResult = HttpResponse | { status: number; headers?: Headers; body?: Body } | string;

/** The shape of a function module: `export function handle(request) { ... }`. */
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
export function bodyText(request: HttpRequest): string;
/** Parsed JSON body; `fallback` when empty or invalid, otherwise throws SyntaxError. */
export function bodyJson<T = unknown>(request: HttpRequest, fallback?: T): T;
/** True for `wasmlet invoke` / POST /v1/functions/{name}/invoke (header x-wasmlet-invocation: direct). */
export function isDirectInvocation(request: HttpRequest): boolean;

type LogFn = (...args: unknown[]) => void;
/** Host log lines, captured per invocation (`wasmlet logs NAME`). */
export const log: Readonly<{ debug: LogFn; info: LogFn; warn: LogFn; error: LogFn }>;
/** A value from the manifest's `[config]` table; undefined when absent. */
export function config(key: string): string | undefined;

export function encodeUtf8(s: string): Uint8Array;
export function decodeUtf8(bytes: Uint8Array | ArrayBuffer | ArrayLike<number>): string;
