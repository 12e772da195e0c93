/**
 * Picks the media type to answer with: the first of `offered` (the spec's order) that the Accept
 * header allows, honouring q-values; the first offered when Accept is absent or allows nothing.
 */
export function negotiateMediaType(accept: string | undefined, offered: readonly string[]): string {
  const first = offered[0] ?? "application/json";
  if (!accept || accept.trim() === "") return first;
  const ranges = accept.split(",").map((part) => {
    const [range = "", ...params] = part.trim().split(";");
    const q = params.map((param) => /^\s*q\s*=\s*([\d.]+)\s*$/i.exec(param)?.[1]).find((value) => value !== undefined);
    return { range: range.trim().toLowerCase(), q: q === undefined ? 1 : Number(q) };
  });
  let best: { type: string; q: number } | undefined;
  for (const type of offered) {
    const [major] = type.split("/");
    const q = Math.max(
      0,
      ...ranges.filter(({ range }) => range === type || range === `${major}/*` || range === "*/*").map(({ q: weight }) => weight),
    );
    if (q > 0 && (best === undefined || q > best.q)) best = { type, q };
  }
  return best?.type ?? first;
}
