// A GitHub-style webhook ({ action, repository: { full_name }, sender: { login } }) parsed into
// the few fields the relay uses, or the first field that is wrong; and the chat message made of it.

/** GitHub's repository names: owner/name, each of letters, digits, '.', '-' and '_'. */
const FULL_NAME = /^[A-Za-z0-9_.-]{1,100}\/[A-Za-z0-9_.-]{1,100}$/;
const MAX_TEXT_CHARS = 200;

/**
 * @param {string} text the request body
 * @returns {{ ok: true, event: { action: string, repository: string, sender: string } }
 *         | { ok: false, field: string, message: string }} `field` is a dotted path ("" for the body itself)
 */
export function parseWebhook(text) {
  let body;
  try {
    body = JSON.parse(text);
  } catch {
    return invalid('', 'the body must be a JSON object (a webhook payload)');
  }
  if (!isObject(body)) return invalid('', 'the body must be a JSON object (a webhook payload)');
  const action = shortText(body.action);
  if (action === undefined) return invalid('action', `must be a non-empty string of at most ${MAX_TEXT_CHARS} characters`);
  if (!isObject(body.repository)) return invalid('repository', 'must be an object with full_name');
  const repository = body.repository.full_name;
  if (typeof repository !== 'string' || !FULL_NAME.test(repository)) return invalid('repository.full_name', 'must be "owner/name"');
  if (!isObject(body.sender)) return invalid('sender', 'must be an object with login');
  const sender = shortText(body.sender.login);
  if (sender === undefined) return invalid('sender.login', `must be a non-empty string of at most ${MAX_TEXT_CHARS} characters`);
  return { ok: true, event: { action, repository, sender } };
}

/** The message posted to the chat: `{ text }`, the shape Slack, Mattermost and Rocket.Chat incoming webhooks take. */
export function chatMessage(event) {
  return { text: `[${event.repository}] ${event.action} by ${event.sender}` };
}

function invalid(field, message) {
  return { ok: false, field, message: field ? `${field} ${message}` : message };
}

function isObject(v) {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function shortText(v) {
  return typeof v === 'string' && v.trim() !== '' && v.length <= MAX_TEXT_CHARS ? v.trim() : undefined;
}
