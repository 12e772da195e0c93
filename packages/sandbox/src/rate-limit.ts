/** Token-bucket settings: `average` requests per `periodMs`, bursts up to `burst`. */
export interface RateLimit {
  readonly average: number;
  readonly periodMs: number;
  readonly burst: number;
}

interface Bucket {
  tokens: number;
  updatedAt: number;
}

/** A per-key token bucket (SFTPGo limits per client IP). */
export class RateLimiter {
  readonly #limit: RateLimit;
  readonly #buckets = new Map<string, Bucket>();

  constructor(limit: RateLimit) {
    if (!(limit.average > 0 && limit.periodMs > 0 && limit.burst >= 1)) {
      throw new RangeError("rate limit needs average > 0, periodMs > 0 and burst >= 1");
    }
    this.#limit = limit;
  }

  /** Takes one token for `key`: 0 when allowed, else the ms to wait until a token is free. */
  take(key: string, now: number): number {
    const { average, periodMs, burst } = this.#limit;
    const perMs = average / periodMs;
    const bucket = this.#buckets.get(key) ?? { tokens: burst, updatedAt: now };
    bucket.tokens = Math.min(burst, bucket.tokens + Math.max(0, now - bucket.updatedAt) * perMs);
    bucket.updatedAt = now;
    this.#buckets.set(key, bucket);
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return 0;
    }
    return Math.ceil((1 - bucket.tokens) / perMs);
  }

  /** Forgets buckets that have refilled completely (they behave like new ones). */
  sweep(now: number): void {
    const { average, periodMs, burst } = this.#limit;
    for (const [key, bucket] of this.#buckets) {
      if (bucket.tokens + Math.max(0, now - bucket.updatedAt) * (average / periodMs) >= burst) this.#buckets.delete(key);
    }
  }

  /** How many buckets are held. */
  get size(): number {
    return this.#buckets.size;
  }
}

/** A duration in Go's `time.Duration.String()` style, e.g. `1.5s`, `250ms`, `1m30s`. */
export function formatGoDuration(ms: number): string {
  if (ms <= 0) return "0s";
  if (ms < 1000) return `${trimNumber(ms)}ms`;
  const totalSeconds = ms / 1000;
  const hours = Math.floor(totalSeconds / 3600);
  const minutes = Math.floor((totalSeconds % 3600) / 60);
  const seconds = totalSeconds - hours * 3600 - minutes * 60;
  if (hours > 0) return `${hours}h${minutes}m${trimNumber(seconds)}s`;
  if (minutes > 0) return `${minutes}m${trimNumber(seconds)}s`;
  return `${trimNumber(seconds)}s`;
}

function trimNumber(value: number): string {
  return String(Number(value.toFixed(3)));
}
