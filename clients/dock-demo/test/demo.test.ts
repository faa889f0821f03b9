import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cuttableRelay, lastAssistant, launch, openDemo, send, user, waitTurn, type DemoPage, baseUrl } from './browser.ts';
import { CHAT_LIMIT } from './setup.ts';
import { token } from '../../dock/test/jar/jar.ts';

type Steps = { steps: Array<{ sequence: number; role: string; content?: string; interrupted?: boolean }> };

let browser: Browser;
const pages: DemoPage[] = [];
beforeAll(async () => { browser = await launch(); });
afterAll(async () => {
  for (const p of pages) await p.context.close().catch(() => undefined);
  await browser?.close();
});

async function demo(prefix: string, opts: Parameters<typeof openDemo>[2] = {}): Promise<DemoPage> {
  const d = await openDemo(browser, user(prefix), opts);
  pages.push(d);
  return d;
}

async function storedAssistant(d: DemoPage): Promise<{ content?: string; interrupted?: boolean }> {
  const sessionId = (await d.page.getByTestId('session-id').textContent())!.replace('session', '').trim();
  const page = await d.api<Steps>(`/api/sessions/${sessionId}/steps`);
  return page.steps.filter((s) => s.role === 'assistant').at(-1)!;
}

describe('the demo Dock page in headless Chromium against the packaged jar', () => {
  it('renders a streamed turn as it arrives, and the warm time to first token', async () => {
    const d = await demo('stream');
    await d.page.getByTestId('socket-state').filter({ hasText: 'open' }).waitFor();
    await d.shot('01-scenarios');
    await send(d, 'tell me a story [[tokens:40]] [[slow:40]]');
    const seen = new Set<number>();
    const text = d.page.getByTestId('assistant-text').last();
    await text.waitFor();
    let shotMidStream = false;
    while ((await lastAssistant(d).getAttribute('data-status')) === 'streaming') {
      const length = ((await text.textContent()) ?? '').length;
      if (length > 0) seen.add(length);
      if (length > 40 && !shotMidStream) { shotMidStream = true; await d.shot('02-streaming'); }
      await d.page.waitForTimeout(40);
    }
    expect(await lastAssistant(d).getAttribute('data-status')).toBe('completed');
    expect(seen.size).toBeGreaterThanOrEqual(3); // partial text was on the page before the run ended
    const shown = await text.textContent();
    expect((await storedAssistant(d)).content).toBe(shown);
    await d.shot('03-streamed');

    const warm: number[] = [];
    for (let i = 0; i < 3; i++) {
      await send(d, `a short one [[tokens:4]]`);
      await waitTurn(d, i + 2, 'completed');
      warm.push(Number(await lastAssistant(d).getAttribute('data-ttft-ms')));
    }
    warm.sort((a, b) => a - b);
    console.log(`dock-demo: time to first token in the browser, warm turn: median ${warm[1]} ms (${warm.join(', ')} ms)`);
    expect(warm.every((t) => Number.isFinite(t) && t >= 0)).toBe(true);
  });

  it('Stop keeps exactly the text shown, as the stored step has it', async () => {
    const d = await demo('stop');
    await send(d, 'talk for a while [[tokens:400]] [[slow:25]]');
    const text = d.page.getByTestId('assistant-text').last();
    await expect.poll(async () => ((await text.textContent()) ?? '').length, { timeout: 15_000 }).toBeGreaterThan(30);
    await d.page.getByTestId('stop').click();
    await waitTurn(d, 1, 'cancelled');
    const shown = await text.textContent();
    const stored = await storedAssistant(d);
    expect(stored.interrupted).toBe(true);
    expect(stored.content).toBe(shown);
    expect(shown!.length).toBeGreaterThan(30);
    await d.shot('04-stopped');
  });

  it('retries an answer in place and forks the session from the question', async () => {
    const d = await demo('retry');
    await send(d, 'first question [[tokens:8]]');
    await waitTurn(d, 1, 'completed');
    const firstRun = await lastAssistant(d).getAttribute('data-run-id');
    const sessionId = await d.page.getByTestId('session-id').textContent();
    await lastAssistant(d).getByTestId('retry').click();
    await expect.poll(() => lastAssistant(d).getAttribute('data-run-id')).not.toBe(firstRun);
    await waitTurn(d, 1, 'completed');
    const stored = await d.api<Steps>(`/api/sessions/${sessionId!.replace('session', '').trim()}/steps`);
    expect(stored.steps.map((s) => s.role)).toEqual(['user', 'assistant']);
    expect(stored.steps[1].content).toBe(await d.page.getByTestId('assistant-text').last().textContent());
    await d.shot('05-retried');

    await d.page.getByTestId('user-message').first().getByTestId('fork').click();
    await expect.poll(() => d.page.getByTestId('session-id').textContent()).not.toBe(sessionId);
    await expect.poll(() => d.page.getByTestId('assistant-message').count()).toBe(0);
    expect(await d.page.getByTestId('user-message').allTextContents()).toEqual([expect.stringContaining('first question')]);
    await expect.poll(() => d.page.getByTestId('sessions').locator('li').count()).toBe(2);
    await d.shot('06-forked');
  });

  it('re-joins a dropped connection and shows every word once', async () => {
    // the page talks to the service through a relay whose TCP connections the test cuts mid-stream
    const relay = await cuttableRelay(baseUrl());
    try {
      const d = await demo('rejoin', { base: relay.url });
      await send(d, 'a long answer [[tokens:60]] [[slow:40]]');
      const text = d.page.getByTestId('assistant-text').last();
      await expect.poll(async () => ((await text.textContent()) ?? '').length, { timeout: 15_000 }).toBeGreaterThan(10);
      const before = (await text.textContent())!;
      expect(relay.cut()).toBeGreaterThan(0);
      await d.shot('07-connection-cut');
      await waitTurn(d, 1, 'completed');
      expect(Number(await lastAssistant(d).getAttribute('data-rejoins'))).toBeGreaterThanOrEqual(1);
      const shown = (await text.textContent())!;
      expect(shown.startsWith(before)).toBe(true);
      expect((await storedAssistant(d)).content).toBe(shown); // nothing lost, nothing twice
      await d.shot('08-rejoined');
    } finally {
      await relay.close();
    }
  });

  it('shows an agent_switch from the orchestration socket and answers as the new agent', async () => {
    const d = await demo('switch');
    await send(d, 'hello there [[tokens:6]]');
    await waitTurn(d, 1, 'completed');
    expect(await d.page.getByTestId('active-agent').textContent()).toBe('greeter');
    // the simulated classifier picks the agent the message names
    await send(d, 'a poem about the sea, haiku_writer please [[tokens:6]]');
    const line = d.page.getByTestId('agent-switch');
    await line.waitFor({ timeout: 15_000 });
    expect(await line.textContent()).toContain('greeter → haiku_writer');
    await waitTurn(d, 2, 'completed');
    expect(await d.page.getByTestId('active-agent').textContent()).toBe('haiku_writer');
    expect(await lastAssistant(d).locator('.who').textContent()).toContain('haiku_writer');
    await d.shot('09-agent-switch');
  });

  it('decides an approval: the run pauses with Approve/Deny, approving resumes it to the end', async () => {
    const d = await demo('approve');
    await d.page.getByTestId('scenario').selectOption('customer-service-retail');
    // customer data is only for a verified caller: the authentication agent verifies Maya first
    const maya = JSON.stringify({ phoneNumber: '2065550142', dateOfBirth: '1988-04-12' });
    await send(d, `hello, I am a customer [[tool:authenticate_customer ${maya}]]`);
    await waitTurn(d, 1, 'completed');
    expect(await d.page.locator('[data-testid="tool-call"][data-name="authenticate_customer"]')
      .getByTestId('tool-result').textContent()).toContain('C-1001');
    // routed to the returns agent (an agent_switch), whose process_return needs a person's approval
    await send(d, 'I want to return my tent, returns please [[tokens:6]]');
    await d.page.getByTestId('agent-switch').filter({ hasText: 'authentication → returns' }).waitFor({ timeout: 15_000 });
    await waitTurn(d, 2, 'completed');
    await d.page.getByRole('checkbox').uncheck(); // the next message stays with returns
    const args = JSON.stringify({ orderId: 'ORD-1001', sku: 'TENT-2P', reason: 'too small' });
    await send(d, `order ORD-1001, the tent [[tool:process_return ${args}]]`);
    const tool = d.page.locator('[data-testid="tool-call"][data-name="process_return"]');
    await tool.locator('[data-testid="approve"]').waitFor({ timeout: 15_000 });
    expect(await tool.getAttribute('data-status')).toBe('pending');
    await d.shot('10-approval-pending');
    await tool.getByTestId('approve').click();
    await waitTurn(d, 3, 'completed');
    expect(await tool.getAttribute('data-status')).toBe('approved');
    await tool.getByTestId('tool-result').waitFor();
    expect(await tool.getByTestId('tool-result').textContent()).toContain('RMA-');
    const runId = await lastAssistant(d).getAttribute('data-run-id');
    const run = await d.api<{ status: string }>(`/api/runs/${runId}`);
    expect(run.status).toBe('completed');
    await d.shot('11-approval-decided');
  });

  it('shows a 401 with its reason when the token is not the service\'s', async () => {
    const d = await demo('forged', { secret: 'another-secret-that-is-long-enough-for-hs256' });
    const alert = d.page.getByRole('alert');
    await alert.waitFor({ timeout: 15_000 });
    expect(await alert.getAttribute('data-status')).toBe('401');
    const text = (await alert.textContent())!;
    expect(text).toMatch(/^401 Unauthorized — /);
    // the service's own reason (problem+json detail), as it answers the same token
    const refusal = await fetch(`${baseUrl()}/api/scenarios`, { headers: { Authorization: `Bearer ${token(d.user,
      { secret: 'another-secret-that-is-long-enough-for-hs256' })}` } });
    const detail = ((await refusal.json()) as { detail: string }).detail;
    expect(detail).toBeTruthy();
    expect(text).toContain(detail);
    await d.shot('12-401');
  });

  it(`shows a 429 with its reason and Retry-After past ${CHAT_LIMIT} turns a minute`, async () => {
    const d = await demo('limit');
    await d.page.getByRole('checkbox').uncheck();
    const alert = d.page.getByRole('alert');
    for (let i = 0; i <= CHAT_LIMIT && !(await alert.isVisible()); i++) {
      await send(d, `quick ${i} [[tokens:2]]`);
      await d.page.getByTestId('send').waitFor();
    }
    await alert.waitFor();
    expect(await alert.getAttribute('data-status')).toBe('429');
    expect(await alert.textContent()).toMatch(/^429 Too Many Requests — .*chat requests.* · Retry-After \d+ s/);
    expect(await d.page.getByTestId('assistant-message').count()).toBe(CHAT_LIMIT);
    await d.shot('13-429');
  });

  it('starts a voice session from the button: /api/session2, then the Realtime SDK over the simulator socket', async () => {
    const d = await demo('voice');
    d.page.on('console', (m) => { if (m.type() === 'error') console.log('dock-demo: page console:', m.text()); });
    await d.page.getByTestId('voice').click();
    const state = d.page.getByTestId('voice-state');
    await expect.poll(() => state.getAttribute('data-state'), { timeout: 15_000 }).not.toBe('idle');
    await expect.poll(() => state.getAttribute('data-state'), { timeout: 15_000 }).not.toBe('connecting');
    expect(await state.textContent()).toBe('connected · greeter (simulator)');
    await d.shot('14-voice');
  });
});
