// Types of cardbridge.js, the page library (docs/BROWSER.md "Page library", docs/API.md).

/** An Error carrying the daemon's stable reason (docs/API.md) or the bridge's own. */
export class CardbridgeError extends Error {
  constructor(reason: string, message?: string, extra?: { code?: number; retriesLeft?: number; data?: unknown });
  readonly name: "CardbridgeError";
  /**
   * docs/API.md reasons (PIN_INCORRECT, NO_CARD, ORIGIN_NOT_ALLOWED, …), plus the bridge's:
   * NO_BRIDGE (no extension, not an http page), DAEMON_UNAVAILABLE (host or daemon gone),
   * TIMEOUT, FRAME_TOO_LARGE, CLOSED (close() was called).
   */
  readonly reason: string;
  /** The JSON-RPC error code; null for reasons without one (NO_BRIDGE, DAEMON_UNAVAILABLE, CLOSED). */
  readonly code: number | null;
  /** PIN_INCORRECT: how many tries remain; otherwise null. */
  readonly retriesLeft: number | null;
  /** The error's `data` member as the daemon sent it. */
  readonly data: Record<string, unknown> | null;
}

/** Resolves true when the cardbridge extension serves this page. */
export function detect(timeoutMs?: number): Promise<boolean>;

export interface ConnectOptions {
  /** How long opening (and each reopening of) the channel may take; default 5000 ms. */
  timeoutMs?: number;
  /** The daemon's WebSocket, used without the extension on http pages; default ws://127.0.0.1:61232. */
  url?: string;
}

/** Connects through the extension if present, else (http pages only) to the daemon's WebSocket. */
export function connect(options?: ConnectOptions): Promise<Connection>;

/** Binary values are sent as base64; a string is taken to be base64 already. */
export type Bytes = string | ArrayBuffer | ArrayBufferView;

export type SignAlgorithm = "RSA-SHA1" | "RSA-SHA256" | "ECDSA-SHA256" | "ECDSA-SHA384" | "SM2-SM3";

export interface SignRequest {
  /** Data the daemon hashes (at most 512 KiB). Give `data` or `hash`. */
  data?: Bytes;
  /** A digest of the algorithm's length (for SM2 the value e = SM3(Z ‖ M)). */
  hash?: Bytes;
  algorithm: SignAlgorithm;
  /** Shown in the PIN prompt and written to the audit log (1 to 128 characters). */
  purpose: string;
  reader?: string;
  /** PIV slot, default "9C". */
  slot?: string;
}

export interface SignResult {
  /** base64: RSA PKCS#1 v1.5 block, or raw r ‖ s for ECDSA and SM2. */
  signature: string;
  algorithm: SignAlgorithm;
  certificateSerial: string;
}

export interface LoginResult {
  /** The origin-bound login token: a JSON text to hand to the server unchanged. */
  token: string;
  algorithm: string;
  certificateSerial: string;
}

export interface ReaderEntry {
  reader: string;
  state: "empty" | "present" | "mute" | "unsupported";
  atr: string | null;
  token: { type: string; id: string; label: string } | null;
}

export interface TokensList {
  readers: ReaderEntry[];
}

/** token.info; see docs/API.md for every member. */
export interface TokenInfo {
  reader: string;
  type: string;
  id: string;
  atr: string;
  enterprise: { name: string | null; uscc: string | null; orgCode: string | null; customsCode: string | null };
  holder: { name: string | null; id: string | null };
  role: string | null;
  cardId: string | null;
  pin: { retriesLeft: number | null; blocked: boolean; verified: boolean };
  certificates: Array<{
    slot: string;
    usage: "login" | "sign" | "envelope" | "card-auth";
    serial: string;
    algorithm: string;
    subject: string;
    issuer: string;
    notBefore: string;
    notAfter: string;
    certificate: string;
  }>;
  [member: string]: unknown;
}

export interface EventMap {
  "reader.added": { reader: string };
  "reader.removed": { reader: string };
  "token.inserted": { reader: string; atr: string };
  "token.removed": { reader: string };
  /** Local: the channel closed (daemon restarted, host gone); the next call reopens it. */
  close: { reason: string; message: string };
}

export interface Connection {
  /** Which way this connection reaches the daemon. */
  readonly bridge: "extension" | "websocket";
  /** The daemon's version once known. */
  version: string | null;
  /** Any JSON-RPC method of docs/API.md; rejects with CardbridgeError. Timeout 160 s. */
  call<T = unknown>(method: string, params?: Record<string, unknown>): Promise<T>;
  /** token.info */
  info(reader?: string): Promise<TokenInfo>;
  /** tokens.list */
  tokens(): Promise<TokensList>;
  /** auth.login; `nonce` is the server's challenge (at least 32 bytes). */
  login(nonce: Bytes, options?: { reader?: string }): Promise<LoginResult>;
  /** token.sign */
  sign(request: SignRequest): Promise<SignResult>;
  /** Subscribes (events.subscribe) on first use of a daemon event; resolves once subscribed. */
  on<K extends keyof EventMap>(event: K, fn: (params: EventMap[K]) => void): Promise<void>;
  on(event: string, fn: (params: unknown) => void): Promise<void>;
  off<K extends keyof EventMap>(event: K, fn: (params: EventMap[K]) => void): void;
  off(event: string, fn: (params: unknown) => void): void;
  /** Ends the connection; later calls reject with reason CLOSED. */
  close(): void;
}
