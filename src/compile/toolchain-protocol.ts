// Messages to and from the toolchain worker.

export type ToolchainRequest =
  | { readonly id: number; readonly op: 'wit'; readonly component: Uint8Array }
  | { readonly id: number; readonly op: 'transpile'; readonly component: Uint8Array; readonly name: string };

export type ToolchainReply =
  | { readonly id: number; readonly ok: true; readonly wit?: string; readonly files?: Record<string, Uint8Array> }
  | { readonly id: number; readonly ok: false; readonly message: string };
