import { describe, expect, it } from 'vitest';
import { DockError, type RunEvent } from '../../src/index.js';
import { cuttingFetch, dockFor, user } from './helpers.js';

describe('dock.chat against the packaged jar', () => {
  it('streams typed events in order, and the result is the text that was streamed', async () => {
    const dock = dockFor(user('chat'));
    const turn = dock.chat('assistant', { message: 'hello there [[tokens:12]]' });
    const events: RunEvent[] = [];
    for await (const e of turn) events.push(e);
    const result = await turn.result;
    expect(events[0].type).toBe('run_started');
    expect(events.at(-1)!.type).toBe('run_completed');
    expect(events.map((e) => e.event_seq)).toEqual(events.map((_, i) => i + 1));
    const deltas = events.filter((e) => e.type === 'step_delta').map((e) => (e as { delta: { content?: string } }).delta.content ?? '');
    expect(deltas.length).toBeGreaterThan(1);
    expect(result.outcome).toBe('run_completed');
    expect(result.text).toBe(deltas.join(''));
    expect(result.outputText).toBe(result.text);
    expect(result.runId).toBe(turn.runId);
    expect(events.every((e) => e.sse_id?.startsWith(`${result.runId}:`))).toBe(true);

    const sessions = await dock.sessions.list('assistant');
    expect(sessions.map((s) => s.session_id)).toContain(result.sessionId);
  });

  it('re-joins with Last-Event-ID after the connection drops: every event once, in order, one terminal', async () => {
    const cutting = cuttingFetch(3);
    const dock = dockFor(user('rejoin'), { fetch: cutting });
    const turn = dock.chat('assistant', { message: 'a long answer [[tokens:60]] [[slow:15]]', rejoinDelayMs: 50 });
    const events: RunEvent[] = [];
    for await (const e of turn) events.push(e);
    const result = await turn.result;
    expect(cutting.cuts).toBe(1);
    expect(turn.rejoins).toBeGreaterThanOrEqual(1);
    expect(events.map((e) => e.event_seq)).toEqual(events.map((_, i) => i + 1));
    expect(events.filter((e) => e.type === 'run_completed')).toHaveLength(1);
    expect(result.text).toBe(result.outputText);
  });

  it('stop() ends the run as cancelled and the stored step keeps exactly the text shown', async () => {
    const dock = dockFor(user('stop'));
    const turn = dock.chat('assistant', { message: 'talk for a while [[tokens:400]] [[slow:20]]' });
    let deltas = 0;
    for await (const e of turn) {
      if (e.type === 'step_delta' && ++deltas === 5) await turn.stop();
    }
    const result = await turn.result;
    expect(result.outcome).toBe('run_cancelled');
    expect(result.text.length).toBeGreaterThan(0);
    const page = await dock.steps(result.sessionId);
    const assistant = page.steps!.filter((s) => s.role === 'assistant').at(-1)!;
    expect(assistant.content).toBe(result.text);
    expect(assistant.interrupted).toBe(true);
  });

  it('an AbortSignal ends the iteration at once and stops the run on the service', async () => {
    const dock = dockFor(user('abort'));
    const controller = new AbortController();
    const turn = dock.chat('assistant', { message: 'go on [[tokens:400]] [[slow:20]]', signal: controller.signal });
    const seen: string[] = [];
    await expect((async () => {
      for await (const e of turn) {
        seen.push(e.type);
        if (e.type === 'step_delta') controller.abort();
      }
    })()).rejects.toThrow();
    await expect(turn.result).rejects.toBeDefined();
    const run = await (async () => {
      for (let i = 0; i < 100; i++) {
        const r = await dock.runs.get(turn.runId!);
        if (r.status !== 'running') return r;
        await new Promise((ok) => setTimeout(ok, 100));
      }
      throw new Error('the run kept running');
    })();
    expect(run.status).toBe('interrupted');
  });

  it('problem+json becomes one DockError: 422 with the field, 404, 409 for a second message', async () => {
    const dock = dockFor(user('errors'));
    const blank = dock.chat('assistant', { message: ' ' });
    const e = await blank.result.catch((x: unknown) => x) as DockError;
    expect(e).toBeInstanceOf(DockError);
    expect(e.status).toBe(422);
    expect(e.errors.map((f) => f.field)).toContain('message');
    expect(e.title).toBeTruthy();

    const missing = await dock.runs.get('00000000-0000-7000-8000-000000000000').catch((x: unknown) => x) as DockError;
    expect([missing.status, missing.type]).toEqual([404, expect.any(String)]);

    const first = dock.chat('assistant', { message: 'slow [[tokens:200]] [[slow:20]]' });
    for await (const ev of first) if (ev.type === 'step_delta') break;
    const second = await dock.chat('assistant', { message: 'again', sessionId: first.sessionId }).result
      .catch((x: unknown) => x) as DockError;
    expect(second.status).toBe(409);
    await first.stop();
    await first.result;
  });

  it('401 for a token the service did not sign, with the reason', async () => {
    const dock = dockFor(user('bad'), { getToken: () => 'not.a.jwt' });
    const e = await dock.scenarios.list().catch((x: unknown) => x) as DockError;
    expect(e).toBeInstanceOf(DockError);
    expect(e.status).toBe(401);
    expect(e.detail ?? e.title).toBeTruthy();
  });

  it('429 past the rate limit carries retryAfter', async () => {
    const dock = dockFor(user('limit'));
    let refusal: DockError | undefined;
    for (let i = 0; i < 10 && !refusal; i++) {
      await dock.voice.session2('simple-handoff').catch((x: unknown) => { refusal = x as DockError; });
    }
    expect(refusal).toBeInstanceOf(DockError);
    expect(refusal!.status).toBe(429);
    expect(refusal!.retryAfter).toBeGreaterThan(0);
  });

  it('retry, fork, steps and context work on a finished session', async () => {
    const dock = dockFor(user('steps'));
    const first = await dock.chat('assistant', { message: 'first question' }).result;
    const sessionId = first.sessionId;
    const steps = await dock.steps(sessionId);
    expect(steps.steps!.map((s) => s.role)).toEqual(['user', 'assistant']);
    const retried = await dock.retry(sessionId, 2, { agent: 'assistant' }).result;
    expect(retried.outcome).toBe('run_completed');
    expect(retried.sessionId).toBe(sessionId);
    const fork = await dock.fork(sessionId, 1);
    expect(fork.new_session_id).not.toBe(sessionId);
    const forked = await dock.steps(fork.new_session_id);
    expect(forked.steps!.map((s) => s.content)).toEqual(['first question']);
    const context = await dock.context(sessionId);
    expect(JSON.stringify(context)).toContain('first question');
  });

  it('an approval: the run pauses, approve resumes it, and a re-join from the pause sees it finish', async () => {
    const dock = dockFor(user('approve'));
    const args = JSON.stringify({ order_id: 'SO-1001', item_sku: 'TENT-2P', reason: 'too small' });
    const turn = dock.chat('returns', { message: `return it [[tool:process_return ${args}]]` });
    const paused = await turn.result;
    expect(paused.outcome).toBe('run_paused');
    const pending = (paused.terminal as { pending_tool_calls: Array<{ tool_call_id: string; name: string }> }).pending_tool_calls;
    expect(pending.map((p) => p.name)).toEqual(['process_return']);
    await dock.runs.approve(paused.runId, { tool_call_id: pending[0].tool_call_id, approved: false });
    const rest = dock.rejoin(paused.runId, { lastEventId: paused.terminal.sse_id });
    const after: string[] = [];
    for await (const e of rest) after.push(e.type);
    expect(after[0]).toBe('run_started'); // the resumed run
    expect(after.at(-1)).toBe('run_completed');
    const tool = (await dock.steps(paused.sessionId)).steps!.find((s) => s.role === 'tool');
    expect(tool?.content).toMatch(/denied|not approved|rejected/i);
  });
});
