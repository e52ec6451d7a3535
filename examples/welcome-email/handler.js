// welcome-email: one function, two triggers.
//   POST /signup {"email", "name"}  -> checks the shape, queues it on "signups", 202 {"id"}.
//   queue "signups" (handleMessage)  -> renders the welcome e-mail and records it in the
//                                      "emails" outbox, which a real mail sender would drain.
// A signup with an unusable address, or a message that is not JSON, fails: after it the host
// moves it to the dead-letter queue "signups-dlq" (wasmlet.toml).
import { attribute, bodyJson, config, fail, json, log, sendJson } from 'wasmlet';
import { isValidEmail, parseSignup } from './signup.js';
import { renderWelcomeEmail } from './welcome-email.js';

const SIGNUPS = 'signups';
const OUTBOX = 'emails';
/** bodyJson's fallback for a body that does not parse (undefined is not valid JSON, but be explicit). */
const NOT_JSON = Symbol('not JSON');

export function handle(request) {
  const body = bodyJson(request, NOT_JSON);
  if (body === NOT_JSON) return badRequest('the body is not valid JSON; send {"email": "ada@example.com", "name": "Ada"}');
  const { signup, problem } = parseSignup(body);
  if (problem) return badRequest(problem);
  const id = sendJson(SIGNUPS, signup);
  log.info(`signup ${id} queued`);
  return json(202, { id });
}

/** RFC 9457 problem details, so a client can show `detail` as is. */
function badRequest(detail) {
  return json(400, { title: 'invalid signup', status: 400, detail }, { 'content-type': 'application/problem+json' });
}

export function handleMessage(message) {
  const body = bodyJson(message, NOT_JSON);
  if (body === NOT_JSON) return fail(`not JSON (content-type ${attribute(message, 'content-type') ?? 'absent'})`);
  const { signup, problem } = parseSignup(body);
  if (problem) return fail(`not a signup: ${problem}`);
  if (!isValidEmail(signup.email)) return fail(`invalid email ${JSON.stringify(signup.email)}`);
  const email = renderWelcomeEmail(signup, { from: required('from'), product: required('product') });
  // At-least-once: a redelivered signup renders again; the sender dedupes by signup-id.
  sendJson(OUTBOX, email, { attributes: { 'signup-id': message.id } });
  log.info(`welcome e-mail for signup ${message.id} recorded`);
}

/** A missing [config] key is a deploy mistake: throwing retries the message until it is fixed. */
function required(key) {
  const value = config(key);
  if (value === undefined) throw new Error(`[config] ${key} is not set in wasmlet.toml`);
  return value;
}
