/**
 * openapi-backend 5.20.1 validates with a draft-07 Ajv, and its definition check only knows OpenAPI
 * 3.0. The specs are OpenAPI 3.1 (JSON Schema 2020-12). This module rewrites, in memory, the 2020-12
 * keywords that have an exact draft-07 equivalent, and refuses specs that use one without an
 * equivalent (the Ajv instance also runs with `strictSchema`, so an unknown keyword fails loudly at
 * startup instead of being ignored).
 */

/** A parsed OpenAPI document (structure checked by `prepareSpec`). */
export type OpenApiDocument = Record<string, unknown> & { openapi: string; paths: Record<string, unknown> };

/** What `prepareSpec` produced. */
export interface PreparedSpec {
  readonly document: OpenApiDocument;
  /** `x-…` extension keywords found inside schemas; Ajv must know them as annotations. */
  readonly extensionKeywords: readonly string[];
}

/** 2020-12 keywords a draft-07 Ajv cannot evaluate and that have no exact rewrite. */
const UNSUPPORTED_KEYWORDS = ["unevaluatedProperties", "unevaluatedItems", "$dynamicRef", "$dynamicAnchor", "$recursiveRef", "$recursiveAnchor"];

const SCHEMA_MAP_KEYWORDS = ["properties", "patternProperties", "dependentSchemas", "$defs", "definitions"];
const SCHEMA_LIST_KEYWORDS = ["allOf", "anyOf", "oneOf", "prefixItems"];
const SCHEMA_KEYWORDS = ["additionalProperties", "additionalItems", "items", "not", "if", "then", "else", "contains", "propertyNames"];
/** Keywords `$ref` may sit beside without changing validation. */
const ANNOTATION_KEYWORDS = new Set(["$ref", "description", "summary", "title", "example", "examples", "deprecated", "readOnly", "writeOnly", "$comment"]);

/** Thrown when a spec cannot be served faithfully. */
export class SpecCompatibilityError extends Error {
  override readonly name = "SpecCompatibilityError";
}

/** Returns a deep copy of `input` that openapi-backend validates exactly as the spec means. */
export function prepareSpec(input: unknown, label: string): PreparedSpec {
  if (!isRecord(input) || typeof input.openapi !== "string" || !isRecord(input.paths)) {
    throw new SpecCompatibilityError(`${label}: not an OpenAPI document (expected "openapi" and "paths")`);
  }
  const version = /^3\.(0|1)\.\d+$/.exec(input.openapi)?.[1];
  if (version === undefined) throw new SpecCompatibilityError(`${label}: OpenAPI ${input.openapi} is not supported (3.0.x or 3.1.x)`);
  const document = structuredClone(input) as OpenApiDocument;
  const extensions = new Set<string>();
  const problems: string[] = [];
  const rewriteSchema = (schema: unknown, pointer: string): void => {
    if (!isRecord(schema)) return;
    for (const key of Object.keys(schema)) {
      if (UNSUPPORTED_KEYWORDS.includes(key)) problems.push(`${pointer}: "${key}" cannot be validated by openapi-backend's draft-07 Ajv`);
      if (key.startsWith("x-")) extensions.add(key);
    }
    if (version === "0") rewriteOpenApi30Keywords(schema);
    // 2020-12: `$ref` applies together with its siblings; draft-07 would ignore the siblings.
    if (typeof schema.$ref === "string" && Object.keys(schema).some((key) => !ANNOTATION_KEYWORDS.has(key))) {
      const siblings = Object.fromEntries(Object.entries(schema).filter(([key]) => !ANNOTATION_KEYWORDS.has(key)));
      for (const key of Object.keys(siblings)) delete schema[key];
      schema.allOf = [{ $ref: schema.$ref }, siblings];
      delete schema.$ref;
    }
    for (const key of SCHEMA_MAP_KEYWORDS) {
      const map = schema[key];
      if (isRecord(map)) for (const [name, sub] of Object.entries(map)) rewriteSchema(sub, `${pointer}/${key}/${name}`);
    }
    for (const key of SCHEMA_LIST_KEYWORDS) {
      const list = schema[key];
      if (Array.isArray(list)) list.forEach((sub, index) => rewriteSchema(sub, `${pointer}/${key}/${index}`));
    }
    for (const key of SCHEMA_KEYWORDS) {
      const sub = schema[key];
      if (Array.isArray(sub)) sub.forEach((item, index) => rewriteSchema(item, `${pointer}/${key}/${index}`));
      else rewriteSchema(sub, `${pointer}/${key}`);
    }
    rewriteDraft2020Keywords(schema);
  };
  walkDocument(document, "#", rewriteSchema);
  if (problems.length > 0) throw new SpecCompatibilityError(`${label}: ${problems.join("; ")}`);
  return { document, extensionKeywords: [...extensions].sort() };
}

/** Calls `visit` on every schema object of the document (components, parameters, media types, headers). */
function walkDocument(node: unknown, pointer: string, visit: (schema: unknown, pointer: string) => void): void {
  if (Array.isArray(node)) {
    node.forEach((item, index) => walkDocument(item, `${pointer}/${index}`, visit));
    return;
  }
  if (!isRecord(node)) return;
  for (const [key, value] of Object.entries(node)) {
    const at = `${pointer}/${escapePointer(key)}`;
    if (key === "example" || key === "examples" || key.startsWith("x-")) continue;
    if (key === "schema") visit(value, at);
    else if (key === "schemas" && pointer === "#/components" && isRecord(value)) {
      for (const [name, schema] of Object.entries(value)) visit(schema, `${at}/${escapePointer(name)}`);
    } else walkDocument(value, at, visit);
  }
}

/** Exact draft-07 forms of 2020-12 keywords. */
function rewriteDraft2020Keywords(schema: Record<string, unknown>): void {
  if (Array.isArray(schema.prefixItems)) {
    const rest = schema.items;
    schema.items = schema.prefixItems;
    delete schema.prefixItems;
    if (rest !== undefined) schema.additionalItems = rest;
  }
  const dependencies: Record<string, unknown> = isRecord(schema.dependencies) ? { ...schema.dependencies } : {};
  let hasDependencies = isRecord(schema.dependencies);
  for (const key of ["dependentRequired", "dependentSchemas"]) {
    const value = schema[key];
    if (isRecord(value)) {
      Object.assign(dependencies, value);
      hasDependencies = true;
      delete schema[key];
    }
  }
  if (hasDependencies) schema.dependencies = dependencies;
}

/** OpenAPI 3.0 dialect (`nullable`, boolean exclusive bounds) in JSON Schema terms. */
function rewriteOpenApi30Keywords(schema: Record<string, unknown>): void {
  if (schema.nullable === true) {
    if (typeof schema.type === "string") schema.type = [schema.type, "null"];
    else if (Array.isArray(schema.enum) && !schema.enum.includes(null)) schema.enum = [...schema.enum, null];
  }
  delete schema.nullable;
  for (const [flag, bound] of [
    ["exclusiveMinimum", "minimum"],
    ["exclusiveMaximum", "maximum"],
  ] as const) {
    if (schema[flag] === true && typeof schema[bound] === "number") {
      schema[flag] = schema[bound];
      delete schema[bound];
    } else if (schema[flag] === false) delete schema[flag];
  }
}

function escapePointer(segment: string): string {
  return segment.replace(/~/g, "~0").replace(/\//g, "~1");
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
