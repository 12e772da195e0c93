import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { describe, expect, it } from "vitest";
import { prepareSpec, SpecCompatibilityError } from "../src/spec-compat.js";
import { basic, call, jsonInit, startTestSandbox } from "./helpers.js";

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- spec documents are edited loosely

function installedSpec(vendor: string): Json {
  const file = createRequire(import.meta.url).resolve(`@tokenkit/${vendor}/openapi.json`);
  return JSON.parse(readFileSync(file, "utf8")) as Json;
}

describe("spec-driven validation", () => {
  it("validates against the spec it is given: tightening a limit in the spec changes the sandbox", async () => {
    const spec = installedSpec("vidispine");
    spec.components.parameters.Seconds.schema.maximum = 30;
    const sandbox = await startTestSandbox({ specs: { vidispine: spec } });
    try {
      const reply = await call(`${sandbox.baseUrls.vidispine}/API/token?seconds=45`, { headers: { Authorization: basic("demo", "demo-pass") } });
      expect(reply.status).toBe(400);
      expect(reply.text).toBe('Query parameter "seconds" must be <= 30');
    } finally {
      await sandbox.close();
    }
  });

  it("supports OpenAPI 3.1 type arrays (`[integer, null]`)", async () => {
    const spec = installedSpec("authapi");
    spec.components.schemas.LongTokenRequest.properties.ttl_seconds.type = ["integer", "null"];
    const sandbox = await startTestSandbox({ specs: { authapi: spec } });
    try {
      const headers = { "X-Client-Id": sandbox.credentials.authapi.clientId };
      const body = { grant_type: "client_credentials", client_id: sandbox.credentials.authapi.clientId, client_secret: sandbox.credentials.authapi.clientSecret };
      const withNull = await call(`${sandbox.baseUrls.authapi}/auth/tokens/long`, jsonInit("POST", { ...body, ttl_seconds: null }, headers));
      expect(withNull.status).toBe(201);
      const withText = await call(`${sandbox.baseUrls.authapi}/auth/tokens/long`, jsonInit("POST", { ...body, ttl_seconds: "long" }, headers));
      expect(withText.status).toBe(400);
      expect(withText.body.message).toBe('Body field "ttl_seconds" must be integer or null');
    } finally {
      await sandbox.close();
    }
  });

  it("fails at startup, not silently, on a keyword or format the validator cannot check", async () => {
    const unevaluated = installedSpec("authapi");
    unevaluated.components.schemas.ShortTokenRequest.unevaluatedProperties = false;
    await expect(startTestSandbox({ specs: { authapi: unevaluated } })).rejects.toThrow(/unevaluatedProperties/);
    const format = installedSpec("authapi");
    format.components.schemas.LongTokenRequest.properties.client_id.format = "c2m-client-id";
    await expect(startTestSandbox({ specs: { authapi: format } })).rejects.toThrow(/unknown format "c2m-client-id"/);
  });

  it("rewrites 2020-12 keywords to their exact draft-07 forms", () => {
    const { document } = prepareSpec(
      {
        openapi: "3.1.0",
        paths: {},
        components: {
          schemas: {
            Pair: { type: "array", prefixItems: [{ type: "string" }, { type: "integer" }], items: false },
            Card: { type: "object", dependentRequired: { number: ["expiry"] }, dependentSchemas: { cvv: { required: ["number"] } } },
            Named: { $ref: "#/components/schemas/Card", minProperties: 1, description: "kept" },
            Tagged: { type: "object", "x-internal": true },
          },
        },
      },
      "test spec",
    );
    const schemas = (document.components as Json).schemas as Json;
    expect(schemas.Pair).toEqual({ type: "array", items: [{ type: "string" }, { type: "integer" }], additionalItems: false });
    expect(schemas.Card).toEqual({ type: "object", dependencies: { number: ["expiry"], cvv: { required: ["number"] } } });
    expect(schemas.Named).toEqual({ description: "kept", allOf: [{ $ref: "#/components/schemas/Card" }, { minProperties: 1 }] });
    expect(prepareSpec({ openapi: "3.1.0", paths: {}, components: { schemas: { Tagged: { "x-internal": true } } } }, "t").extensionKeywords).toEqual(["x-internal"]);
  });

  it("rewrites the OpenAPI 3.0 dialect and refuses what it cannot serve", () => {
    const { document } = prepareSpec(
      { openapi: "3.0.3", paths: {}, components: { schemas: { A: { type: "string", nullable: true }, B: { type: "number", minimum: 1, exclusiveMinimum: true } } } },
      "t",
    );
    expect((document.components as Json).schemas).toEqual({ A: { type: ["string", "null"] }, B: { type: "number", exclusiveMinimum: 1 } });
    expect(() => prepareSpec({ openapi: "2.0", paths: {} }, "t")).toThrow(SpecCompatibilityError);
    expect(() => prepareSpec({ swagger: "2.0" }, "t")).toThrow(/not an OpenAPI document/);
    expect(() => prepareSpec({ openapi: "3.1.0", paths: {}, components: { schemas: { A: { $dynamicRef: "#x" } } } }, "t")).toThrow(/\$dynamicRef/);
  });
});
