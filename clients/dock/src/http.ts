import type { paths } from './api.gen.js';
import { DockError } from './errors.js';

export type TokenSource = () => string | null | undefined | Promise<string | null | undefined>;

/** What createDock takes. */
export interface DockOptions {
  /** The service's origin, e.g. `https://dock.example.com` (no trailing `/api`). */
  baseUrl: string;
  /** Called before every request and every socket (re)connect, so a refreshed token is always the one sent. */
  getToken?: TokenSource;
  /** Extra headers for every request (e.g. `X-User-Id` against a dev-mode service). */
  headers?: Record<string, string>;
  /** Defaults to the global fetch. */
  fetch?: typeof fetch;
  /** The WebSocket constructor for `events()` (defaults to the global one; pass `ws`'s on Node 20). */
  WebSocket?: WebSocketLike;
}

/** The part of the WHATWG WebSocket that `events()` uses. */
export interface WebSocketLike {
  new (url: string, protocols?: string | string[]): WebSocketInstance;
}
export interface WebSocketInstance {
  readonly readyState: number;
  onopen: ((ev: unknown) => void) | null;
  onmessage: ((ev: { data: unknown }) => void) | null;
  onclose: ((ev: { code: number; reason: string }) => void) | null;
  onerror: ((ev: unknown) => void) | null;
  send(data: string): void;
  close(code?: number, reason?: string): void;
}

type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';
/** The methods a path of the OpenAPI document has. */
export type MethodOf<P extends keyof paths> = {
  [M in Method]: NonNullable<paths[P][M]> extends never ? never : M;
}[Method];
type Op<P extends keyof paths, M extends MethodOf<P>> = NonNullable<paths[P][M]>;
/** The JSON body an operation takes. */
export type BodyOf<P extends keyof paths, M extends MethodOf<P>> =
  Op<P, M> extends { requestBody?: { content: { 'application/json': infer B } } } ? B : never;
/** The JSON an operation answers with on success. */
export type ResultOf<P extends keyof paths, M extends MethodOf<P>> =
  Op<P, M> extends { responses: { 200: { content: { 'application/json': infer R } } } } ? R : unknown;
/** The query parameters an operation takes. */
export type QueryOf<P extends keyof paths, M extends MethodOf<P>> =
  Op<P, M> extends { parameters: { query?: infer Q } } ? Q : never;

export interface RequestParts<P extends keyof paths, M extends MethodOf<P>> {
  path?: Record<string, string | number>;
  query?: QueryOf<P, M> | Record<string, string | number | boolean | undefined>;
  body?: BodyOf<P, M>;
  headers?: Record<string, string>;
  signal?: AbortSignal;
}

/** The transport under every call: the base URL, the token, the problem+json mapping. */
export class Http {
  readonly baseUrl: string;
  private readonly fetchImpl: typeof fetch;

  constructor(readonly options: DockOptions) {
    this.baseUrl = options.baseUrl.replace(/\/+$/, '');
    this.fetchImpl = options.fetch ?? ((...args) => globalThis.fetch(...args));
  }

  async token(): Promise<string | undefined> {
    const token = await this.options.getToken?.();
    return token ? token : undefined;
  }

  url(template: string, path?: Record<string, string | number>, query?: object): string {
    let out = template.replace(/\{(\w+)\}/g, (_, name: string) => {
      const value = path?.[name];
      if (value === undefined) throw new TypeError(`missing path parameter ${name} for ${template}`);
      return encodeURIComponent(String(value));
    });
    const search = new URLSearchParams();
    for (const [k, v] of Object.entries(query ?? {})) {
      if (v !== undefined && v !== null) search.set(k, String(v));
    }
    const qs = search.toString();
    if (qs) out += `?${qs}`;
    return this.baseUrl + out;
  }

  async headers(extra?: Record<string, string>): Promise<Record<string, string>> {
    const headers: Record<string, string> = { ...(this.options.headers ?? {}), ...(extra ?? {}) };
    const token = await this.token();
    if (token) headers.Authorization = `Bearer ${token}`;
    return headers;
  }

  /** A raw call; a non-2xx answer becomes a DockError. */
  async send(method: string, url: string, init: { body?: unknown; headers?: Record<string, string>;
    signal?: AbortSignal; accept?: string; text?: { body: string; contentType: string } }): Promise<Response> {
    const headers = await this.headers({ Accept: init.accept ?? 'application/json', ...(init.headers ?? {}) });
    if (init.body !== undefined) headers['Content-Type'] = 'application/json';
    if (init.text) headers['Content-Type'] = init.text.contentType;
    const response = await this.fetchImpl(url, {
      method: method.toUpperCase(),
      headers,
      body: init.text ? init.text.body : init.body === undefined ? undefined : JSON.stringify(init.body),
      signal: init.signal,
    });
    if (!response.ok) throw await DockError.fromResponse(response);
    return response;
  }

  /** A typed JSON call: the path must be a route of the OpenAPI document, the body its request schema. */
  async json<P extends keyof paths, M extends MethodOf<P>>(method: M, path: P, parts: RequestParts<P, M> = {}):
    Promise<ResultOf<P, M>> {
    const response = await this.send(method, this.url(path as string, parts.path, parts.query as object), parts);
    if (response.status === 204) return undefined as ResultOf<P, M>;
    const text = await response.text();
    return (text ? JSON.parse(text) : undefined) as ResultOf<P, M>;
  }
}
