export { createRuntimeClient } from "./client.js";
export { describeTarget, RequestError, type RequestErrorCode, type RequestErrorDetails, type RequestTarget } from "./errors.js";
export { encodeFormBody, readTextBody, useOperationServer } from "./hooks.js";
export { assertBaseUrl, assertInteger, assertKind, failOption } from "./options.js";
export { DEFAULT_MAX_RESPONSE_BYTES, type FetchLike, type WireEvent } from "./transport.js";
export type { AuthHeader, BaseClientOptions, CallDefaults, ClientSpec, HookContext, SecretSource, Security, SpecHook, VendorRuntime } from "./types.js";
