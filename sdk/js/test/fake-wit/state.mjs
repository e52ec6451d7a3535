// What the fake host recorded, shared by the fake imports and the tests. reset() between tests.
export const fake = {
  logs: [],
  config: {},
  sent: [],
  /** (queue) => a refusal reason, or undefined to accept. */
  refuse: () => undefined,
  reset() {
    this.logs = [];
    this.config = {};
    this.sent = [];
    this.refuse = () => undefined;
  },
};
