import { fail } from "./errors.js";
import type { TokenOperation, VendorId } from "./types.js";

/** Symbol under which clients and sources carry what the source and middleware need (non-enumerable). */
export const INTERNAL = Symbol.for("tokenkit.internal");

/** True for non-null, non-array objects. */
export function isObject(value: unknown): value is Record<PropertyKey, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Describes a received value for an error message; `secret` values are described by type only. */
export function describe(value: unknown, secret?: boolean): string {
  if (typeof value === "string") {
    if (!value.trim()) return "an empty string";
    return secret ? "a string" : JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
  }
  return value === null ? "null" : Array.isArray(value) ? "an array" : typeof value;
}

/** A function that rejects one argument before any I/O. */
export type Reject = (message: string) => never;

/** Builds a {@link Reject} for a vendor and operation. */
export function createRejecter(vendor: VendorId | undefined, operation: TokenOperation): Reject {
  return (message) => fail({ vendor, operation }, message);
}

/** Rejects `value` unless `valid`: `option "<name>" must be <expected>; received <value>`. */
export function expectOption(reject: Reject, valid: boolean, name: string, expected: string, value: unknown): void {
  if (!valid) reject(`option "${name}" must be ${expected}; received ${describe(value)}`);
}

/** Checks an optional integer option within bounds and returns it or the default. */
export function checkInteger(reject: Reject, name: string, value: unknown, min: number, max: number, fallback: number): number;
export function checkInteger(reject: Reject, name: string, value: unknown, min: number, max: number): number | undefined;
export function checkInteger(reject: Reject, name: string, value: unknown, min: number, max: number, fallback?: number): number | undefined {
  if (value === undefined) return fallback;
  expectOption(reject, Number.isInteger(value) && (value as number) >= min && (value as number) <= max, name, `an integer from ${min} to ${max}`, value);
  return value as number;
}
