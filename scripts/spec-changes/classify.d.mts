// Types for the parts of classify.mjs that tests import.

/** A semver bump, weakest first in BUMPS. */
export type Bump = "none" | "patch" | "minor" | "major";

/** One classified spec change. */
export interface SpecChange {
  readonly bump: Exclude<Bump, "none">;
  readonly kind: "breaking" | "feature" | "docs";
  readonly place: string;
  readonly what: string;
}

export declare const BUMPS: readonly Bump[];
export declare function diffSpecs(before: unknown, after: unknown): { bump: Bump; changes: SpecChange[] };
