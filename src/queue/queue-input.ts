// Limits of the queue layer and the checks every QueueStore applies to its arguments before touching storage.
import { randomBytes } from 'node:crypto';
import { WasmletError } from '../errors/wasmlet-error.js';
import { queueNamePattern } from './queue-names.js';
import type { ListOptions, OutgoingMessage, ReceiveOptions, RetryOptions } from './queue-store.js';

/** Request ids and UUIDs fit; no spaces or slashes, so an id can sit in a path segment. */
export const messageIdPattern = /^[A-Za-z0-9._:-]{1,128}$/;
/** Matches SQS (since 2025) and Lambda's async payload cap: big payloads belong in a store, not a queue. */
export const maxMessageBodyBytes = 1024 * 1024;
/** Attributes are routing metadata (request id, content type), not a second body. */
export const maxAttributesPerMessage = 32;
export const maxAttributeKeyChars = 128;
export const maxAttributeValueChars = 4096;
/** Upper bound of one send: it is one transaction, and holds the write lock that long. */
export const maxMessagesPerSend = 10_000;
/** SQS's event-source-mapping batch maximum. */
export const maxReceiveBatch = 10_000;
/** SQS's maximum visibility timeout (12 h); a lease longer than that hides a crashed consumer's work for too long. */
export const maxVisibilityTimeoutMs = 12 * 60 * 60 * 1000;
/** Send and retry delays: Lambda's longest async event age is 6 h, so 12 h covers every retry ladder. */
export const maxDelayMs = 12 * 60 * 60 * 1000;
/** A DLQ reason or retry error is a message, not a log: long stack traces are cut here. */
export const maxErrorChars = 4096;
/** One inspection page. */
export const maxListLimit = 10_000;

/** A message after parsing: defaults filled in, every field checked. */
export interface ParsedMessage {
  readonly id: string;
  readonly body: Uint8Array;
  /** The attributes as JSON (`{}` when none). */
  readonly attributesJson: string;
  readonly delayMs: number;
}

function bad(message: string, details: Record<string, unknown>): WasmletError {
  return new WasmletError('bad_request', message, details);
}

export function parseQueueName(queue: unknown, field = 'queue'): string {
  if (typeof queue !== 'string' || !queueNamePattern.test(queue)) {
    throw bad(`${field}: ${JSON.stringify(queue)} is not a queue name (${queueNamePattern.source})`, { [field]: queue });
  }
  return queue;
}

function parseInteger(value: unknown, field: string, min: number, max: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw bad(`${field}: ${String(value)} is not an integer in ${min}..${max}`, { [field]: value });
  }
  return value;
}

/** `nowMs` seeds the default ids (see `newMessageId`). */
export function parseMessages(messages: readonly OutgoingMessage[], nowMs: number): ParsedMessage[] {
  if (!Array.isArray(messages)) throw bad('messages: not an array', {});
  parseInteger(messages.length, 'messages.length', 0, maxMessagesPerSend);
  return messages.map((message, index) => parseMessage(message, `messages[${index}]`, nowMs));
}

/**
 * A UUIDv7 (RFC 9562): 48 bits of milliseconds, then 74 random bits. Time-ordered ids land next to
 * each other in a store's id index; random UUIDv4s made SQLite sends ~3× slower (measured, 100-message batches).
 */
export function newMessageId(nowMs: number): string {
  const b = randomBytes(16);
  b.writeUIntBE(Math.max(0, Math.min(nowMs, 2 ** 48 - 1)), 0, 6);
  b[6] = (b[6]! & 0x0f) | 0x70; // version 7
  b[8] = (b[8]! & 0x3f) | 0x80; // variant 10
  const hex = b.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

function parseMessage(message: OutgoingMessage, at: string, nowMs: number): ParsedMessage {
  if (typeof message !== 'object' || message === null) throw bad(`${at}: not an object`, {});
  for (const key of Object.keys(message)) {
    if (key !== 'body' && key !== 'attributes' && key !== 'delayMs' && key !== 'id') throw bad(`${at}: unknown key "${key}"`, { key });
  }
  const { body, attributes, delayMs, id } = message;
  if (!(body instanceof Uint8Array)) throw bad(`${at}.body: not a Uint8Array`, {});
  if (body.byteLength > maxMessageBodyBytes) {
    throw bad(`${at}.body: ${body.byteLength} bytes is over the ${maxMessageBodyBytes}-byte limit`, { bytes: body.byteLength });
  }
  if (id !== undefined && (typeof id !== 'string' || !messageIdPattern.test(id))) {
    throw bad(`${at}.id: ${JSON.stringify(id)} is not a message id (${messageIdPattern.source})`, { id });
  }
  return {
    id: id ?? newMessageId(nowMs),
    body,
    attributesJson: attributes === undefined ? '{}' : parseAttributes(attributes, `${at}.attributes`),
    delayMs: delayMs === undefined ? 0 : parseInteger(delayMs, `${at}.delayMs`, 0, maxDelayMs),
  };
}

function parseAttributes(attributes: Readonly<Record<string, string>>, at: string): string {
  if (typeof attributes !== 'object' || attributes === null || Array.isArray(attributes)) throw bad(`${at}: not an object`, {});
  const entries = Object.entries(attributes);
  if (entries.length > maxAttributesPerMessage) throw bad(`${at}: ${entries.length} attributes, at most ${maxAttributesPerMessage}`, {});
  for (const [key, value] of entries) {
    if (key.length === 0 || key.length > maxAttributeKeyChars) throw bad(`${at}: key "${key}" must have 1..${maxAttributeKeyChars} characters`, { key });
    if (typeof value !== 'string') throw bad(`${at}.${key}: not a string`, { key });
    if (value.length > maxAttributeValueChars) throw bad(`${at}.${key}: over ${maxAttributeValueChars} characters`, { key });
  }
  return JSON.stringify(attributes);
}

export function parseReceiveOptions(options: ReceiveOptions): ReceiveOptions {
  return {
    max: parseInteger(options?.max, 'max', 1, maxReceiveBatch),
    visibilityTimeoutMs: parseInteger(options?.visibilityTimeoutMs, 'visibilityTimeoutMs', 1, maxVisibilityTimeoutMs),
  };
}

export function parseRetryOptions(options: RetryOptions): { delayMs: number; error: string | null } {
  return {
    delayMs: parseInteger(options?.delayMs, 'delayMs', 0, maxDelayMs),
    error: options?.error === undefined ? null : clipError(options.error),
  };
}

export function parseListOptions(options: ListOptions): ListOptions {
  return { limit: parseInteger(options?.limit, 'limit', 1, maxListLimit) };
}

export function parseLimit(limit: unknown): number {
  return parseInteger(limit, 'limit', 1, maxListLimit);
}

/** Errors come from guests and exceptions: any string is fine, only its length is bounded. */
export function clipError(error: unknown): string {
  const text = typeof error === 'string' ? error : String(error);
  return text.length > maxErrorChars ? `${text.slice(0, maxErrorChars - 1)}…` : text;
}
