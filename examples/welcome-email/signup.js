// A signup as POST /signup receives it and the "signups" queue carries it: { email, name }.
// Pure (no SDK), so `node --test` runs it natively.

/** RFC 5321: a forward-path holds at most 254 characters of address. */
const MAX_EMAIL_LENGTH = 254;
/** Long enough for any real name, short enough that a signup always fits in one message. */
const MAX_NAME_LENGTH = 200;

/**
 * The signup in a parsed JSON body, or the problem with it. Only the shape is checked here;
 * whether the address can receive mail is the consumer's question (see isValidEmail).
 * @param {unknown} value
 * @returns {{ signup: { email: string, name: string } } | { problem: string }}
 * @example parseSignup({ email: 'ada@example.com', name: 'Ada' }) // { signup: { email: 'ada@example.com', name: 'Ada' } }
 */
export function parseSignup(value) {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return { problem: 'the body must be a JSON object such as {"email": "ada@example.com", "name": "Ada"}' };
  const { email, name = '' } = value;
  if (typeof email !== 'string' || email.trim() === '') return { problem: '"email" is required and must be a non-empty string' };
  if (email.length > MAX_EMAIL_LENGTH) return { problem: `"email" is longer than ${MAX_EMAIL_LENGTH} characters` };
  if (typeof name !== 'string') return { problem: '"name" must be a string' };
  if (name.length > MAX_NAME_LENGTH) return { problem: `"name" is longer than ${MAX_NAME_LENGTH} characters` };
  return { signup: { email: email.trim(), name: name.trim() } };
}

/**
 * A deliberately plain address check: one '@', a non-empty local part, a dotted domain, no
 * spaces. Real deliverability is the mail sender's business; this catches typos.
 * @param {string} email
 */
export function isValidEmail(email) {
  return /^[^\s@]+@[^\s@.]+(\.[^\s@.]+)+$/.test(email);
}
