import { describe, expect, it } from 'vitest';
import { SseParser } from '../../src/sse.js';

function all(chunks: string[]) {
  const p = new SseParser();
  return chunks.flatMap((c) => p.push(c));
}

describe('SseParser', () => {
  it('reads the frames the service sends today: id, a stray content-type line, data', () => {
    const out = all(['id: r1:1\ncontent-type: text/plain\ndata: {"type":"run_started"}\n\n']);
    expect(out).toEqual([{ event: 'message', data: '{"type":"run_started"}', id: 'r1:1' }]);
  });

  it('reads named events, multi-line data and CRLF / CR line ends split anywhere', () => {
    const text = 'event: step_delta\r\nid: r:2\r\ndata: a\r\ndata: b\r\n\r\nevent: x\rdata: c\r\r';
    for (let cut = 1; cut < text.length; cut++) {
      const out = all([text.slice(0, cut), text.slice(cut)]);
      expect(out, `cut at ${cut}`).toEqual([
        { event: 'step_delta', data: 'a\nb', id: 'r:2' },
        { event: 'x', data: 'c', id: 'r:2' },
      ]);
    }
  });

  it('ignores comments, unknown fields, a BOM, ids with NUL, and frames without data', () => {
    const out = all(['\ufeff: keep-alive\n\nid: 7\n\nfoo: bar\ndata\n\nid: bad\0id\ndata:x\n\n']);
    expect(out).toEqual([{ event: 'message', data: '', id: '7' }, { event: 'message', data: 'x', id: '7' }]);
  });

  it('keeps retry hints and only a space after the colon is dropped', () => {
    const p = new SseParser();
    expect(p.push('retry: 1500\ndata:  two spaces\n\n')).toEqual([{ event: 'message', data: ' two spaces', id: undefined }]);
    expect(p.retry).toBe(1500);
    p.push('retry: soon\n\n');
    expect(p.retry).toBe(1500);
  });

  it('does not dispatch an unfinished frame at the end of the stream', () => {
    const p = new SseParser();
    expect(p.push('data: half')).toEqual([]);
    p.end();
    expect(p.push('\n\n')).toEqual([]);
  });
});
