import type { IncomingHttpHeaders } from "node:http";
import type { Context } from "openapi-backend";

/** The five vendors the sandbox emulates. */
export type VendorId = "mindbody" | "vidispine" | "sftpgo" | "genesys" | "authapi";

/** Every vendor id, in display order. */
export const VENDOR_IDS: readonly VendorId[] = ["mindbody", "vidispine", "sftpgo", "genesys", "authapi"];

/** Demo credentials per vendor, in the facade's `credentials` shape. */
export interface SandboxCredentials {
  readonly mindbody: { readonly apiKey: string; readonly siteId: string; readonly username: string; readonly password: string };
  readonly vidispine: { readonly username: string; readonly password: string };
  readonly sftpgo: { readonly username: string; readonly password: string; readonly otp?: string };
  readonly genesys: { readonly clientId: string; readonly clientSecret: string };
  readonly authapi: { readonly clientId: string; readonly clientSecret: string };
}

/** A username and password pair. */
export interface UserPassword {
  readonly username: string;
  readonly password: string;
}

/** Further demo accounts, for the behaviours the default credentials do not show. */
export interface SandboxAccounts {
  readonly vidispine: {
    /** Has the `_administrator` role: may ask for more than 60 s and for other users' tokens. */
    readonly admin: UserPassword;
    /** A disabled user: token requests get 409. */
    readonly disabled: UserPassword;
  };
  readonly sftpgo: {
    /** Admin and user with two-factor authentication: send `sandbox.totp()` as `X-SFTPGO-OTP`. */
    readonly twoFactor: UserPassword & { readonly totpSecret: string };
  };
  readonly genesys: {
    /** The id `DELETE /api/v2/tokens/{userId}` accepts: client-credentials tokens act as the OAuth client. */
    readonly userId: string;
  };
}

/** An HTTP answer a handler produces; the server writes it. */
export interface SandboxResponse {
  readonly status: number;
  readonly headers?: Readonly<Record<string, string>>;
  /** A string is sent as is; anything else as JSON. Absent for empty bodies. */
  readonly body?: unknown;
}

/** Per-request facts handed to every handler. */
export interface Exchange {
  /** The client's IP address (IPv4-mapped IPv6 addresses unwrapped). */
  readonly clientIp: string;
  /** The sandbox clock in ms, read once per request. */
  readonly now: number;
  /** The raw request headers (lowercase names). */
  readonly headers: IncomingHttpHeaders;
}

/** What an Authorization-style check concluded; truthy `error` means refused. */
export type AuthOutcome<T = unknown> =
  | { readonly value: T; readonly error?: undefined }
  | { readonly error: string; readonly detail?: string; readonly value?: undefined };

/** Failures every vendor renders in its own error shape. */
export type FailureKind =
  | "invalid_request"
  | "not_found"
  | "method_not_allowed"
  | "unsupported_media_type"
  | "payload_too_large"
  | "server_error";

/** Serves one vendor path prefix from (a part of) the vendor's spec. */
export interface Mount {
  /** Path prefix on the sandbox, e.g. `/genesys-login`. */
  readonly prefix: string;
  /** Which spec paths this prefix serves. */
  readonly servesPath: (specPath: string) => boolean;
}

/** Handler of one security scheme: returns an AuthOutcome. */
export type SecurityHandler = (context: Context, exchange: Exchange) => AuthOutcome | Promise<AuthOutcome>;

/** Handler of one operation. */
export type OperationHandler = (context: Context, exchange: Exchange) => SandboxResponse | Promise<SandboxResponse>;

/** One vendor's behaviour: its state lives in the closure that built it. */
export interface VendorEmulator {
  readonly id: VendorId;
  readonly mounts: readonly Mount[];
  readonly securityHandlers: Readonly<Record<string, SecurityHandler>>;
  readonly handlers: Readonly<Record<string, OperationHandler>>;
  /** Renders a generic failure in the vendor's error shape; `mount` tells apart hosts with different shapes. */
  fail(kind: FailureKind, message: string, mount: Mount): SandboxResponse;
  /** Renders any status (a `status` fault) in the vendor's error shape; `mount` tells apart hosts with different shapes. */
  refuse(status: number, message: string, mount: Mount, retryAfterSeconds?: number): SandboxResponse;
  /**
   * Makes the token in a successful token answer already dead at `at` (ms): in the vendor's store
   * and in the answer's own expiry fields. Other answers come back unchanged.
   */
  expire(response: SandboxResponse, at: number): SandboxResponse | Promise<SandboxResponse>;
  /** The 401 (or other refusal) when no security alternative was satisfied. */
  unauthorized(context: Context, exchange: Exchange, mount: Mount): SandboxResponse;
  /** Runs before routing, e.g. a rate limiter; a response short-circuits the request. */
  admit?(exchange: Exchange): SandboxResponse | undefined;
  /** Drops expired entries. */
  sweep(now: number): void;
  /** How many entries (tokens, deny-list entries, limiter buckets) the vendor holds. */
  storedEntries(): number;
}

/** The HTTP status of each generic failure. */
export const FAILURE_STATUS: Readonly<Record<FailureKind, number>> = {
  invalid_request: 400,
  not_found: 404,
  method_not_allowed: 405,
  payload_too_large: 413,
  unsupported_media_type: 415,
  server_error: 500,
};
