/** The parts of an Ajv error the messages use. */
export interface SchemaError {
  readonly instancePath: string;
  readonly keyword: string;
  readonly message?: string;
  readonly params: Record<string, unknown>;
}

/** The parts of an OpenAPI operation the messages use. */
export interface OperationShape {
  readonly parameters?: readonly unknown[];
}

const LOCATION_NAMES: Record<string, string> = { path: "path parameter", query: "query parameter", header: "header", cookie: "cookie" };

/**
 * Turns openapi-backend's Ajv errors into one sentence per problem, naming the parameter (with the
 * spec's spelling) or the body field. Values are never quoted back: they may be secrets.
 */
export function describeValidationErrors(errors: readonly SchemaError[], operation: OperationShape): string {
  const sentences = new Set<string>();
  for (const error of errors) sentences.add(describeOne(error, operation));
  return [...sentences].join("; ");
}

function describeOne(error: SchemaError, operation: OperationShape): string {
  const segments = error.instancePath.split("/").slice(1).map(unescapePointer);
  const [root, ...rest] = segments;
  const missing = typeof error.params.missingProperty === "string" ? error.params.missingProperty : undefined;
  const extra = typeof error.params.additionalProperty === "string" ? error.params.additionalProperty : undefined;
  if (root === undefined) {
    if (error.keyword === "required" && missing === "requestBody") return "The request body is required";
    if (error.keyword === "required" && missing) return `Missing required ${LOCATION_NAMES[missing] ?? missing}`;
    return `The request ${explain(error)}`;
  }
  if (root === "requestBody") {
    if (rest.length === 0 && error.keyword === "required" && missing) return `Body field "${missing}" is required`;
    if (error.keyword === "additionalProperties" && extra) return `Body field "${formatField([...rest, extra])}" is not allowed`;
    if (rest.length === 0) return `The request body ${explain(error)}`;
    if (error.keyword === "required" && missing) return `Body field "${formatField([...rest, missing])}" is required`;
    return `Body field "${formatField(rest)}" ${explain(error)}`;
  }
  const location = LOCATION_NAMES[root] ?? root;
  if (rest.length === 0 && error.keyword === "required" && missing) return `Missing required ${location} "${findSpecName(operation, root, missing)}"`;
  if (rest.length === 0 && error.keyword === "additionalProperties" && extra) return `Unknown ${location} "${extra}"`;
  const [name, ...inner] = rest;
  const display = `${findSpecName(operation, root, name ?? "")}${inner.length > 0 ? `.${formatField(inner)}` : ""}`;
  return `${capitalize(location)} "${display}" ${explain(error)}`;
}

/** Ajv's message, plus the allowed values for `enum` (they come from the spec, not the request). */
function explain(error: SchemaError): string {
  const message = error.message ?? "is not valid";
  if (error.keyword === "type") {
    const types = Array.isArray(error.params.type) ? error.params.type : String(error.params.type ?? "").split(",");
    if (types.length > 1) return `must be ${types.join(" or ")}`;
  }
  if (error.keyword === "enum" && Array.isArray(error.params.allowedValues)) {
    return `${message}: ${error.params.allowedValues.map((value) => JSON.stringify(value)).join(", ")}`;
  }
  return message;
}

/** Header names are validated lowercase; report them as the spec spells them. */
function findSpecName(operation: OperationShape, location: string, name: string): string {
  for (const parameter of operation.parameters ?? []) {
    if (typeof parameter !== "object" || parameter === null) continue;
    const { in: where, name: declared } = parameter as { in?: unknown; name?: unknown };
    if (where === location && typeof declared === "string" && declared.toLowerCase() === name.toLowerCase()) return declared;
  }
  return name;
}

function formatField(segments: readonly string[]): string {
  return segments.reduce((out, segment) => (/^\d+$/.test(segment) ? `${out}[${segment}]` : out ? `${out}.${segment}` : segment), "");
}

function unescapePointer(segment: string): string {
  return segment.replace(/~1/g, "/").replace(/~0/g, "~");
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
