/// <reference path="./interfaces/wasmlet-function-host.d.ts" />
/// <reference path="./interfaces/wasmlet-function-http-handler.d.ts" />
/// <reference path="./interfaces/wasmlet-function-objects.d.ts" />
/// <reference path="./interfaces/wasmlet-function-outbound-http.d.ts" />
/// <reference path="./interfaces/wasmlet-function-publisher.d.ts" />
/// <reference path="./interfaces/wasmlet-function-queue-handler.d.ts" />
/// <reference path="./interfaces/wasmlet-function-schedule-handler.d.ts" />
declare module 'wasmlet:function/function@0.1.0' {
  export type * as WasmletFunctionHost010 from 'wasmlet:function/host@0.1.0'; // import wasmlet:function/host@0.1.0
  export type * as WasmletFunctionObjects010 from 'wasmlet:function/objects@0.1.0'; // import wasmlet:function/objects@0.1.0
  export type * as WasmletFunctionOutboundHttp010 from 'wasmlet:function/outbound-http@0.1.0'; // import wasmlet:function/outbound-http@0.1.0
  export type * as WasmletFunctionPublisher010 from 'wasmlet:function/publisher@0.1.0'; // import wasmlet:function/publisher@0.1.0
  export * as httpHandler from 'wasmlet:function/http-handler@0.1.0'; // export wasmlet:function/http-handler@0.1.0
  export * as queueHandler from 'wasmlet:function/queue-handler@0.1.0'; // export wasmlet:function/queue-handler@0.1.0
  export * as scheduleHandler from 'wasmlet:function/schedule-handler@0.1.0'; // export wasmlet:function/schedule-handler@0.1.0
}
