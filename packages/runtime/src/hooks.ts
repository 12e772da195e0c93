import type { SpecHook } from "./types.js";

/** Hook for operations with their own `servers`: their calls default to the vendor's base URL for that operation. */
export const useOperationServer: SpecHook = ({ runtime: { operationBaseUrls }, setCallDefaults }, keys) => {
  for (const key of keys) {
    const baseUrl = operationBaseUrls?.[key];
    if (baseUrl) setCallDefaults(key, { baseUrl });
  }
};

/** Hook for form-encoded request bodies: openapi-fetch encodes a body as a form when the Content-Type says so. */
export const encodeFormBody: SpecHook = ({ setCallDefaults }, keys) => {
  for (const key of keys) setCallDefaults(key, { headers: { "Content-Type": "application/x-www-form-urlencoded" } });
};

/** Hook for text/plain success bodies: the generated types promise a string, which openapi-fetch's JSON parsing would reject. */
export const readTextBody: SpecHook = ({ client }, keys) =>
  client.use({
    async onResponse({ request, schemaPath, response, options }) {
      if (options.parseAs !== "json" || !response.ok || !response.body || !keys.includes(`${request.method} ${schemaPath}`)) return undefined;
      if (!/^text\/plain/i.test(response.headers.get("Content-Type") ?? "")) return undefined;
      return new Response(JSON.stringify(await response.text()), response);
    },
  });
