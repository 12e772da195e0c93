// Small statistics and verdict helpers shared by every benchmark section.

/** The q-quantile (0..1) of numbers, by the nearest-rank method on a sorted copy. */
export function quantile(values, q) {
  if (values.length === 0) return Number.NaN;
  const sorted = Float64Array.from(values).sort();
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[rank];
}

/** The median of numbers. */
export function median(values) {
  return quantile(values, 0.5);
}

/** max − min: the spread of repeated measurements, used as the noise band. */
export function spread(values) {
  if (values.length < 2) return 0;
  return Math.max(...values) - Math.min(...values);
}

/** Splits `values` into `count` consecutive blocks of (nearly) equal length. */
export function splitBlocks(values, count) {
  const size = Math.ceil(values.length / count);
  const blocks = [];
  for (let start = 0; start < values.length; start += size) blocks.push(values.slice(start, start + size));
  return blocks;
}

/** Least-squares line through points {x, y}: `{ intercept, slope }`. */
export function fitLine(points) {
  const n = points.length;
  const meanX = points.reduce((sum, p) => sum + p.x, 0) / n;
  const meanY = points.reduce((sum, p) => sum + p.y, 0) / n;
  let num = 0;
  let den = 0;
  for (const p of points) {
    num += (p.x - meanX) * (p.y - meanY);
    den += (p.x - meanX) ** 2;
  }
  const slope = den === 0 ? 0 : num / den;
  return { slope, intercept: meanY - slope * meanX };
}

const COMPARE = {
  "<=": (value, limit) => value <= limit,
  ">=": (value, limit) => value >= limit,
  "=": (value, limit) => value === limit,
};

/**
 * The verdict of one figure against its target: "ok", "within noise" (missed, but by no more than
 * the spread the bench itself measured), "MISS", or "info" when the figure has no target.
 */
export function judge(value, target, noise = 0) {
  if (!target) return "info";
  if (!Number.isFinite(value)) return "MISS";
  if (COMPARE[target.op](value, target.limit)) return "ok";
  return noise > 0 && Math.abs(value - target.limit) <= noise ? "within noise" : "MISS";
}
