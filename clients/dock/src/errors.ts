/** One field the service refused, from problem+json `errors[]`. */
export interface FieldError {
  field?: string;
  message?: string;
  [key: string]: unknown;
}

/**
 * Every refusal of the service as one typed error: the RFC 9457 problem+json body (`type`, `title`, `status`,
 * `detail`, `instance`, `errors[]`) plus `retryAfter` (seconds, from `Retry-After`) for 429 and 503. A response
 * that is not problem+json still becomes a DockError, with the status and the text as `detail`.
 */
export class DockError extends Error {
  readonly status: number;
  readonly type: string;
  readonly title: string;
  readonly detail: string | undefined;
  readonly instance: string | undefined;
  readonly errors: FieldError[];
  readonly retryAfter: number | undefined;
  /** The whole problem body, for extension members such as `upstream_status`. */
  readonly body: Record<string, unknown>;

  constructor(init: {
    status: number;
    type?: string;
    title?: string;
    detail?: string;
    instance?: string;
    errors?: FieldError[];
    retryAfter?: number;
    body?: Record<string, unknown>;
  }) {
    const title = init.title ?? `HTTP ${init.status}`;
    super(init.detail ? `${init.status} ${title}: ${init.detail}` : `${init.status} ${title}`);
    this.name = 'DockError';
    this.status = init.status;
    this.type = init.type ?? 'about:blank';
    this.title = title;
    this.detail = init.detail;
    this.instance = init.instance;
    this.errors = init.errors ?? [];
    this.retryAfter = init.retryAfter;
    this.body = init.body ?? {};
  }

  /** Reads a failed response (consumes its body). */
  static async fromResponse(response: Response): Promise<DockError> {
    const retryAfter = parseRetryAfter(response.headers.get('retry-after'));
    const text = await response.text().catch(() => '');
    let body: Record<string, unknown> | undefined;
    try {
      const parsed: unknown = text ? JSON.parse(text) : undefined;
      if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) body = parsed as Record<string, unknown>;
    } catch {
      body = undefined;
    }
    if (!body) {
      return new DockError({ status: response.status, title: response.statusText || undefined,
        detail: text || undefined, retryAfter });
    }
    return new DockError({
      status: typeof body.status === 'number' ? body.status : response.status,
      type: str(body.type),
      title: str(body.title) ?? (response.statusText || undefined),
      detail: str(body.detail),
      instance: str(body.instance),
      errors: Array.isArray(body.errors) ? (body.errors as FieldError[]) : [],
      retryAfter,
      body,
    });
  }
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

/** `Retry-After` as seconds: delta-seconds or an HTTP date. */
export function parseRetryAfter(value: string | null): number | undefined {
  if (!value) return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed);
  const date = Date.parse(trimmed);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, Math.ceil((date - Date.now()) / 1000));
}
