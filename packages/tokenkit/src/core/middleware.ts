import type { Middleware } from "openapi-fetch";
import { INTERNAL, isObject, createRejecter, type Reject } from "./check.js";
import type { ClientInternals, TokenSource } from "./source.js";
import type { Token, VendorId } from "./types.js";

/**
 * openapi-fetch middleware that sends the source's token in the vendor's Authorization format
 * (`Bearer <t>`; Vidispine `token <t>`) and, on a 401, invalidates it, gets a fresh one and retries
 * the request once. A request that already has an Authorization header is left alone; other headers
 * (Mindbody's API-Key, …) are never touched.
 */
export function authMiddleware<V extends VendorId>(source: TokenSource<V>): Middleware {
  const internals = (isObject(source) ? source[INTERNAL] : undefined) as ClientInternals | undefined;
  const reject: Reject = createRejecter(undefined, "authMiddleware");
  if (!internals) reject("expected a source made by createTokenSource()");
  const { authorize } = internals;
  // The retry copy of a request with a body is taken before the first send, while the body is still unread.
  const retries = new Map<string, { readonly copy: Request; readonly token: Token<V> }>();
  return {
    async onRequest({ request, id }) {
      if (request.headers.has("authorization")) return undefined;
      const token = await source.getToken();
      request.headers.set("Authorization", authorize(token.accessToken));
      // A body-less request can be sent again as it is: no clone on the hot path of every GET.
      retries.set(id, { copy: request.body ? request.clone() : request, token });
      return request;
    },
    async onResponse({ response, id, options }) {
      const entry = retries.get(id);
      retries.delete(id);
      if (!entry || response.status !== 401) return undefined;
      source.invalidate(entry.token);
      const fresh = await source.getToken();
      if (fresh.accessToken === entry.token.accessToken) return undefined;
      await response.body?.cancel().catch(() => {});
      entry.copy.headers.set("Authorization", authorize(fresh.accessToken));
      // Straight to fetch, past the middleware chain: the retry can never trigger another retry.
      return options.fetch(entry.copy);
    },
    onError({ id }) {
      retries.delete(id);
    },
  };
}
