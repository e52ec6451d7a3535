// The JavaScript recipe's expected failures: printed as one `js build: <message>` line, exit 1.
// Anything else thrown is a bug and keeps its stack trace.
export class BuildError extends Error {}
