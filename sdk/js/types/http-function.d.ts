/// <reference path="./interfaces/wasmlet-function-host.d.ts" />
/// <reference path="./interfaces/wasmlet-function-http-handler.d.ts" />
declare module 'wasmlet:function/http-function@0.1.0' {
  export type * as WasmletFunctionHost010 from 'wasmlet:function/host@0.1.0'; // import wasmlet:function/host@0.1.0
  export * as httpHandler from 'wasmlet:function/http-handler@0.1.0'; // export wasmlet:function/http-handler@0.1.0
}
