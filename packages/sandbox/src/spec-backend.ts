import { OpenAPIBackend, type Context, type Document, type Operation } from "openapi-backend";
import { prepareSpec, type OpenApiDocument } from "./spec-compat.js";
import type { Exchange, Mount, SandboxResponse, VendorEmulator } from "./types.js";
import { describeValidationErrors, type SchemaError } from "./validation-errors.js";

/** What one request hands to the shared backend's handlers. */
export interface Call {
  readonly emulator: VendorEmulator;
  readonly exchange: Exchange;
  readonly mount: Mount;
}

/** A request in openapi-backend's shape. */
export interface BackendRequest {
  readonly method: string;
  readonly path: string;
  readonly query: string;
  readonly headers: Record<string, string | string[]>;
  readonly body?: unknown;
}

/** Routes and validates requests for one mount; handlers come from the Call, so it is stateless. */
export interface SpecBackend {
  /** The operation a request would be routed to, if any. */
  match(request: BackendRequest): Operation | undefined;
  /** Routes, authenticates, validates and dispatches one request. */
  handle(request: BackendRequest, call: Call): Promise<SandboxResponse>;
}

/** Formats Ajv knows beyond openapi-backend's own (int32, int64, float, double, byte, binary, password). */
const FORMATS: Record<string, RegExp | ((value: string) => boolean)> = {
  "date-time": /^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:[Zz]|[+-]\d{2}:\d{2})$/,
  date: /^\d{4}-\d{2}-\d{2}$/,
  time: /^\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:[Zz]|[+-]\d{2}:\d{2})?$/,
  uuid: /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i,
  email: /^[^\s@]+@[^\s@]+\.[^\s@]+$/,
  uri: (value) => URL.canParse(value),
  "uri-reference": (value) => URL.canParse(value, "http://base.invalid/"),
};

/** OpenAPI schema keywords that only annotate; Ajv must know them to run with strictSchema. */
const OPENAPI_ANNOTATIONS = ["example", "xml", "externalDocs", "discriminator"];

/**
 * Builds the validating router for one mount of a vendor spec. Only the spec paths the mount serves
 * are kept, so a Genesys login path answers 404 on the API prefix and vice versa.
 */
export async function createSpecBackend(spec: unknown, label: string, mount: Mount): Promise<SpecBackend> {
  const { document, extensionKeywords } = prepareSpec(spec, label);
  const definition: OpenApiDocument = {
    ...document,
    paths: Object.fromEntries(Object.entries(document.paths).filter(([path]) => mount.servesPath(path))),
  };
  const api = new OpenAPIBackend({
    definition: definition as unknown as Document,
    strict: true,
    // quick: compile request validators only (the sandbox never validates its own responses); they
    // are compiled eagerly below so a spec Ajv cannot handle fails at startup. Quick mode also skips
    // openapi-backend's definition check, whose meta-schema only knows OpenAPI 3.0 and rejects valid
    // 3.1 (e.g. `license.identifier`); the specs are linted by Redocly when generated, and
    // `prepareSpec` checks what the sandbox relies on.
    quick: true,
    coerceTypes: true,
    ajvOpts: { strict: false, strictSchema: true, allErrors: true },
    customizeAjv: (ajv) => {
      for (const keyword of [...OPENAPI_ANNOTATIONS, ...extensionKeywords]) if (!ajv.getKeyword(keyword)) ajv.addKeyword(keyword);
      for (const [name, format] of Object.entries(FORMATS)) ajv.addFormat(name, format);
      return ajv;
    },
  });
  await api.init();
  for (const operation of api.getOperations()) {
    if (!operation.operationId) throw new Error(`${label}: ${operation.method.toUpperCase()} ${operation.path} has no operationId`);
    api.validator.getRequestValidatorsForOperation(operation.operationId);
  }
  const securitySchemes = Object.keys((document.components as { securitySchemes?: object } | undefined)?.securitySchemes ?? {});
  for (const scheme of securitySchemes) {
    api.registerSecurityHandler(scheme, (context: Context, call: Call) => {
      const handler = call.emulator.securityHandlers[scheme];
      return handler ? handler(context, call.exchange) : { error: "scheme not emulated" };
    });
  }
  api.register({
    notFound: (_context: Context, call: Call) => call.emulator.fail("not_found", "No such resource", call.mount),
    methodNotAllowed: (_context: Context, call: Call) => call.emulator.fail("method_not_allowed", "Method not allowed for this resource", call.mount),
    unauthorizedHandler: (context: Context, call: Call) => call.emulator.unauthorized(context, call.exchange, call.mount),
    validationFail: (context: Context, call: Call) =>
      call.emulator.fail("invalid_request", describeValidationErrors((context.validation.errors ?? []) as SchemaError[], context.operation), call.mount),
    notImplemented: (context: Context, call: Call) =>
      call.emulator.fail("server_error", `${context.operation.operationId ?? "operation"} is not emulated`, call.mount),
  });
  for (const operation of api.getOperations()) {
    const operationId = operation.operationId as string;
    api.register(operationId, (context: Context, call: Call) => {
      const handler = call.emulator.handlers[operationId];
      return handler ? handler(context, call.exchange) : call.emulator.fail("server_error", `${operationId} is not emulated`, call.mount);
    });
  }
  return {
    match: (request) => api.matchOperation({ ...request, body: undefined }),
    handle: (request, call) => api.handleRequest({ ...request, body: request.body as never }, call) as Promise<SandboxResponse>,
  };
}
