import { describe, expect, it } from 'vitest';
import { DockError, parseRetryAfter } from '../../src/errors.js';

describe('DockError', () => {
  it('carries every member of a problem+json body and Retry-After', async () => {
    const body = { type: 'https://agentdock.dev/problems/validation', title: 'Unprocessable', status: 422,
      detail: 'message: must not be blank', errors: [{ field: 'message', message: 'must not be blank' }] };
    const e = await DockError.fromResponse(new Response(JSON.stringify(body), {
      status: 422, headers: { 'content-type': 'application/problem+json', 'retry-after': '7' } }));
    expect(e).toBeInstanceOf(Error);
    expect([e.status, e.type, e.title, e.detail, e.retryAfter]).toEqual([422, body.type, 'Unprocessable', body.detail, 7]);
    expect(e.errors).toEqual(body.errors);
    expect(e.message).toContain('must not be blank');
  });

  it('still becomes one typed error when the body is not JSON', async () => {
    const e = await DockError.fromResponse(new Response('<html>bad gateway</html>', { status: 502, statusText: 'Bad Gateway' }));
    expect([e.status, e.title, e.detail, e.errors]).toEqual([502, 'Bad Gateway', '<html>bad gateway</html>', []]);
    expect(e.type).toBe('about:blank');
  });

  it('reads Retry-After as seconds or as a date, and ignores junk', () => {
    expect(parseRetryAfter('12')).toBe(12);
    expect(parseRetryAfter(new Date(Date.now() + 30_000).toUTCString())).toBeGreaterThanOrEqual(28);
    expect(parseRetryAfter('soon')).toBeUndefined();
    expect(parseRetryAfter(null)).toBeUndefined();
  });
});
