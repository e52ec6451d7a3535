// Parses a todo from untrusted JSON into its normalised form, or lists every problem with it.
//   { title: string (1..200 characters once trimmed), due?: ISO 8601 date, tags?: string[] (<= 10),
//     done?: boolean }
// Unknown fields are errors (a typo such as "titel" should not be dropped silently); `null` is
// accepted for the optional fields and means "absent".
import { parseIsoDate } from './iso-date.js';

/** Characters are Unicode code points, so "é" and "😀" each count once. */
export const TITLE_MAX_CHARS = 200;
/** Enough for labelling; more usually means a client bug pasting content into tags. */
export const MAX_TAGS = 10;
export const TAG_MAX_CHARS = 32;
const FIELDS = ['title', 'due', 'tags', 'done'];

/**
 * @typedef {{ title: string, due?: string, tags: string[], done: boolean }} Todo
 * @typedef {{ field: string, code: string, message: string }} FieldError  field: a JSON Pointer
 * @param {unknown} value
 * @param {string} [at] JSON Pointer of `value` inside the request body ("" = the body itself)
 * @returns {{ todo: Todo, dueSpan?: { startMs: number, endMs: number } } | { errors: FieldError[] }}
 */
export function parseTodo(value, at = '') {
  if (!isPlainObject(value)) return { errors: [fieldError(at, 'type', `must be an object, got ${describe(value)}`)] };
  const errors = [];
  for (const key of Object.keys(value)) {
    if (!FIELDS.includes(key)) {
      errors.push(fieldError(`${at}/${escapePointer(key)}`, 'unknown_field', `is not a todo field (${FIELDS.join(', ')})`));
    }
  }
  const title = parseTitle(value.title, `${at}/title`, errors);
  const due = value.due === undefined || value.due === null ? undefined : parseDue(value.due, `${at}/due`, errors);
  const tags = value.tags === undefined || value.tags === null ? [] : parseTags(value.tags, `${at}/tags`, errors);
  let done = false;
  if (value.done !== undefined && value.done !== null) {
    if (typeof value.done === 'boolean') done = value.done;
    else errors.push(fieldError(`${at}/done`, 'type', `must be true or false, got ${describe(value.done)}`));
  }
  if (errors.length > 0) return { errors };
  const todo = due ? { title, due: due.canonical, tags, done } : { title, tags, done };
  return due ? { todo, dueSpan: { startMs: due.startMs, endMs: due.endMs } } : { todo };
}

function parseTitle(value, at, errors) {
  if (value === undefined || value === null) {
    errors.push(fieldError(at, 'required', 'is required'));
    return '';
  }
  if (typeof value !== 'string') {
    errors.push(fieldError(at, 'type', `must be a string, got ${describe(value)}`));
    return '';
  }
  const title = value.trim();
  const chars = [...title].length;
  if (chars === 0) errors.push(fieldError(at, 'empty', 'must not be empty or only spaces'));
  else if (chars > TITLE_MAX_CHARS) errors.push(fieldError(at, 'too_long', `must be at most ${TITLE_MAX_CHARS} characters, got ${chars}`));
  return title;
}

function parseDue(value, at, errors) {
  if (typeof value !== 'string') {
    errors.push(fieldError(at, 'type', `must be an ISO 8601 date string, got ${describe(value)}`));
    return undefined;
  }
  const parsed = parseIsoDate(value.trim());
  if ('error' in parsed) {
    errors.push(fieldError(at, 'invalid_date', parsed.error));
    return undefined;
  }
  return parsed;
}

/** Tags come back trimmed, lower-cased and without duplicates, in their first order. */
function parseTags(value, at, errors) {
  if (!Array.isArray(value)) {
    errors.push(fieldError(at, 'type', `must be an array of strings, got ${describe(value)}`));
    return [];
  }
  if (value.length > MAX_TAGS) {
    errors.push(fieldError(at, 'too_many', `must have at most ${MAX_TAGS} tags, got ${value.length}`));
    return [];
  }
  const tags = [];
  value.forEach((tag, i) => {
    if (typeof tag !== 'string') {
      errors.push(fieldError(`${at}/${i}`, 'type', `must be a string, got ${describe(tag)}`));
      return;
    }
    const normalised = tag.trim().toLowerCase();
    const chars = [...normalised].length;
    if (chars === 0) errors.push(fieldError(`${at}/${i}`, 'empty', 'must not be empty'));
    else if (chars > TAG_MAX_CHARS) errors.push(fieldError(`${at}/${i}`, 'too_long', `must be at most ${TAG_MAX_CHARS} characters, got ${chars}`));
    else if (!tags.includes(normalised)) tags.push(normalised);
  });
  return tags;
}

/** @returns {FieldError} */
export function fieldError(field, code, message) {
  return { field, code, message };
}

export function isPlainObject(value) {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A short description of a JSON value's type for messages: "a number", "null", "an array". */
export function describe(value) {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  const type = typeof value;
  return type === 'object' ? 'an object' : `a ${type}`;
}

/** RFC 6901: "~" and "/" inside a key are escaped as "~0" and "~1". */
function escapePointer(key) {
  return key.replace(/~/g, '~0').replace(/\//g, '~1');
}
