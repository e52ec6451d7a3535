// POST /webhook-relay: check the signature (when [config] secret is set), validate the webhook,
// post `{ text }` to [config] target_url, answer 202 with the upstream's status, or a problem
// (RFC 9457 application/problem+json): 400 invalid webhook, 401 bad signature, 502 no upstream
// response, 500 not configured. The capabilities come as arguments, so the tests run it in Node.
import { chatMessage, parseWebhook } from './webhook.js';
import { checkSignature } from './signature.js';

/**
 * @param {{ headers: [string, string][], body: Uint8Array }} request
 * @param {{ config(key: string): string | undefined, fetchSync: Function, FetchError: Function, log: { info: Function, warn: Function } }} host
 */
export function relay(request, { config, fetchSync, FetchError, log }) {
  const target = config('target_url');
  if (!target) return problem(500, 'relay not configured', '[config] target_url is not set');
  const secret = config('secret');
  if (secret) {
    const signed = checkSignature(secret, request.body, header(request, 'x-signature') ?? header(request, 'x-hub-signature-256'));
    if (!signed.ok) return problem(401, 'invalid signature', signed.reason);
  }
  const parsed = parseWebhook(new TextDecoder().decode(request.body));
  if (!parsed.ok) return problem(400, 'invalid webhook', parsed.message, { field: parsed.field });
  const message = chatMessage(parsed.event);
  let upstream;
  try {
    upstream = fetchSync(target, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(message) });
  } catch (e) {
    if (!(e instanceof FetchError)) throw e;
    log.warn('relay failed:', e.message);
    return problem(502, 'upstream unreachable', e.message, { code: e.code });
  }
  log.info(`relayed ${parsed.event.repository} ${parsed.event.action}: upstream ${upstream.status}`);
  return jsonResponse(202, { relayed: message, upstream_status: upstream.status });
}

function problem(status, title, detail, extra = {}) {
  return jsonResponse(status, { type: 'about:blank', title, status, detail, ...extra }, 'application/problem+json');
}

function jsonResponse(status, value, type = 'application/json') {
  return { status, headers: { 'content-type': type }, body: `${JSON.stringify(value)}\n` };
}

function header(request, name) {
  const hit = request.headers.find(([n]) => n === name);
  return hit ? hit[1] : undefined;
}
