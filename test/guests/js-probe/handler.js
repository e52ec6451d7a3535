// The probe guest for JavaScript: exports all three handlers and answers the cross-language
// end-to-end script (the same rules in every language's probe).
//   HTTP     ?send=<queue>: send the body there with ("from", "http") -> 202 <id> | 400 <reason>;
//            ?outbound=<url>: GET it with x-probe: js -> 200 "status=<status> body=<body>" |
//            502 "error=<code> <message>" (the WIT error-code and the host's message);
//            otherwise 200 "probe js".
//   queue    per message body: fail:<reason> | retry | retry:<ms> | retry-until:<n> |
//            batch-error (err for the batch) | trap (the instance traps) | anything else: ok,
//            after sending "<queue> <id> <attempt> <body>" with ("enqueued-at", <ms>) to probe-out.
//   schedule "failing" -> err("failing schedule"); otherwise sends "schedule <name> <scheduledAt>".
import { FetchError, SendError, bodyText, fail, fetchSync, ok, queryParams, retry, send, text, trap } from 'wasmlet';

const OUT = 'probe-out';

export function handle(request) {
  const params = queryParams(request);
  const target = params.get('outbound');
  if (target !== null) return relay(target);
  const queue = params.get('send');
  if (queue === null) return text(200, 'probe js');
  try {
    return text(202, send(queue, request.body, { attributes: [['from', 'http']] }));
  } catch (e) {
    if (e instanceof SendError) return text(400, e.reason);
    throw e;
  }
}

function relay(url) {
  try {
    const res = fetchSync(url, { headers: { 'x-probe': 'js' } });
    return text(200, `status=${res.status} body=${bodyText(res)}`);
  } catch (e) {
    if (e instanceof FetchError) return text(502, `error=${e.code} ${e.reason}`);
    throw e;
  }
}

// The batch form: `batch-error` and `trap` act on the whole batch.
export function handleBatch(queue, messages) {
  return messages.map((message) => resultFor(queue, message));
}

function resultFor(queue, message) {
  const body = bodyText(message);
  if (body.startsWith('fail:')) return fail(body.slice('fail:'.length));
  if (body === 'retry') return retry();
  if (body.startsWith('retry:')) return retry(Number(body.slice('retry:'.length)));
  if (body.startsWith('retry-until:') && message.attempt < Number(body.slice('retry-until:'.length))) return retry(0);
  // A thrown string is the err message verbatim (an Error would add its name and stack).
  if (body === 'batch-error') throw 'batch-error requested';
  if (body === 'trap') trap('trap requested');
  send(OUT, `${queue} ${message.id} ${message.attempt} ${body}`, { attributes: [['enqueued-at', String(message.enqueuedAt)]] });
  return ok();
}

export function handleSchedule(event) {
  if (event.name === 'failing') throw 'failing schedule';
  send(OUT, `schedule ${event.name} ${event.scheduledAt}`);
}
