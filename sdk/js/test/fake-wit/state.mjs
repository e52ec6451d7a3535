// What the fake host recorded, shared by the fake imports and the tests. reset() between tests.
export const fake = {
  logs: [],
  config: {},
  sent: [],
  /** (queue) => a refusal reason, or undefined to accept. */
  refuse: () => undefined,
  /** What outbound-http's send was given, in order. */
  requests: [],
  /** (request) => a `response` record, or { error: { code, message } } for `err(http-error)`. */
  answer: () => ({ status: 200, headers: [], body: new Uint8Array(0) }),
  reset() {
    this.logs = [];
    this.config = {};
    this.sent = [];
    this.refuse = () => undefined;
    this.requests = [];
    this.answer = () => ({ status: 200, headers: [], body: new Uint8Array(0) });
  },
};
