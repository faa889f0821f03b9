// A real WebRTC call through the service's SDP route (README "Voice calls", 1.): `dock.voice.start` in headless
// Chromium (the Agents SDK's OpenAIRealtimeWebRTC transport) posts its offer to POST /api/sessions/{id}/realtime/calls
// with the user's JWT; the service creates the call upstream with its own key and joins it over the sideband. Upstream is
// the packaged jar's simulator behind a gateway whose answer is a second Chromium page's real peer (openai-side.ts),
// so ICE, DTLS and the `oai-events` data channel actually open, and the call's events travel over it.
import { createReadStream, existsSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { join, resolve } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { build } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SessionInit } from '@agentdock/dock';
import { until } from '../../dock/test/jar/helpers.ts';
import { freePort, startJar, token, type Jar } from '../../dock/test/jar/jar.ts';
import { FLAGS, chromiumPath, user } from './browser.ts';
import { openAiSide, type OpenAiSide } from './webrtc/openai-side.ts';
import type { CallStart, Connected, Refusal } from './webrtc/page.ts';

const SCENARIO = 'customer-service-retail';
const AUTHENTICATE = '[[tool:authenticate_customer {"phoneNumber":"2065550142","dateOfBirth":"1988-04-12"}]]';
// host candidates as addresses, not mDNS names (nothing resolves .local here); a fake microphone for getUserMedia
const WEBRTC_FLAGS = [...FLAGS, '--disable-features=WebRtcHideLocalIpsWithMdns',
  '--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream'];

type Event = { type: string; [key: string]: unknown };
type Item = { type?: string; call_id?: string; output?: string };
type Step = { role: string; content?: string; tool_call_id?: string };

const out = resolve(import.meta.dirname, '../test-results/webrtc-page');
let server: Server;
let pageUrl: string;
let browser: Browser;
let gateway: OpenAiSide;
let jar: Jar;

/** Serves the bundled page (the Dock and the SDK, webrtc/page.ts) and a blank page for the peer. */
async function servePage(): Promise<void> {
  await build({ configFile: false, logLevel: 'error', root: resolve(import.meta.dirname, 'webrtc'),
    resolve: { dedupe: ['@openai/agents-realtime'] },
    define: { 'process.env.NODE_ENV': '"production"' },
    build: { outDir: out, emptyOutDir: true, lib: { entry: 'page.ts', formats: ['es'], fileName: 'page' } } });
  server = createServer((req, res) => {
    const file = /^\/[\w.-]+\.js$/.test(req.url ?? '') ? join(out, req.url!) : '';
    if (file && existsSync(file)) {
      res.writeHead(200, { 'content-type': 'text/javascript' });
      createReadStream(file).pipe(res);
      return;
    }
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end('<!doctype html><title>webrtc</title><script type="module" src="/page.js"></script>');
  });
  const port = await freePort();
  await new Promise<void>((ok) => server.listen(port, '127.0.0.1', ok));
  pageUrl = `http://127.0.0.1:${port}`;
}

beforeAll(async () => {
  await servePage();
  browser = await chromium.launch({ executablePath: chromiumPath(), headless: true, args: WEBRTC_FLAGS });
  gateway = await openAiSide(browser, `${pageUrl}/peer`);
  jar = await startJar({
    log: 'target/dock-demo/webrtc-jar.log',
    env: { AGENTDOCK_CORS_ORIGINS: pageUrl, OPENAI_API_KEY: 'sk-webrtc-gateway', OPENAI_BASE_URL: gateway.url },
  });
  gateway.forwardTo(jar.baseUrl);
});

afterAll(async () => {
  await jar?.stop();
  await gateway?.close();
  await browser?.close();
  await new Promise((ok) => server ? server.close(ok) : ok(undefined));
});

async function api<T>(who: string, path: string): Promise<T> {
  const r = await fetch(`${jar.baseUrl}${path}`, { headers: { Authorization: `Bearer ${token(who)}` } });
  if (!r.ok) throw new Error(`${path}: ${r.status} ${await r.text()}`);
  return (await r.json()) as T;
}

async function callPage(): Promise<Page> {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(pageUrl);
  await page.waitForFunction(() => 'call' in window);
  return page;
}

/** What the page needs to start a call as `who`, on a new session or `sessionId`. */
const callAs = (who: string, sessionId?: string): CallStart => ({ base: jar.baseUrl, token: token(who),
  scenarioId: SCENARIO, sessionId });

type PageCall = {
  start(o: CallStart): Promise<Connected>;
  refused(o: CallStart): Promise<Refusal | undefined>;
  notSdp(o: CallStart): Promise<Refusal | undefined>;
  events: Event[];
};
/** Runs the page's `fn` with `opts`. */
const onPage = <K extends 'start' | 'refused' | 'notSdp'>(page: Page, fn: K, opts: CallStart) =>
  page.evaluate(({ f, o }) => (window as unknown as { call: Record<string, (o: CallStart) => Promise<unknown>> })
    .call[f](o), { f: fn as string, o: opts }) as ReturnType<PageCall[K]>;
const callEvents = (page: Page) => page.evaluate(() => (window as unknown as { call: PageCall }).call.events);

async function say(callId: string, utterance: string): Promise<void> {
  const r = await fetch(`${jar.baseUrl}/v1/realtime/calls/${callId}/simulate`, {
    method: 'POST', headers: { 'content-type': 'application/json', authorization: 'Bearer sk-test' },
    body: JSON.stringify({ utterance }),
  });
  expect(r.status).toBe(200);
}

describe('WebRTC through the service\'s SDP route: dock.voice.start in headless Chromium (packaged jar)', () => {
  it('the Dock\'s offer gets a real peer: the data channel opens, a tool the model calls is run by the service and its output reaches the browser over the channel', async () => {
    const who = user('webrtc');
    const page = await callPage();
    try {
      const connected = await onPage(page, 'start', callAs(who));
      const sessionId = connected.sessionId;
      expect(connected).toMatchObject({ status: 'connected', peer: 'connected', channel: 'open', attached: 'attached' });
      // connect() resolved on the call's answer to the SDK's session.update, which came over the data channel
      expect((await callEvents(page)).map((e) => e.type)).toContain('session.updated');
      expect(connected.callId).toMatch(/^rtc_sim_/);
      expect(gateway.answered).toContain(connected.callId);
      const callId = connected.callId!;
      const view = await api<{ status: string; held_by?: string }>(who, `/api/sessions/${sessionId}/realtime/calls/${callId}`);
      expect(view.status).toBe('attached');

      await say(callId, `my number is 206 555 0142, born 1988-04-12 ${AUTHENTICATE}`);
      const toolCallId = await until(async () => (await callEvents(page))
        .find((e) => e.type === 'response.function_call_arguments.done' && e.name === 'authenticate_customer')
        ?.call_id as string | undefined, 10_000, 'the model\'s function call on the data channel');
      const outputs = async () => (await callEvents(page)).filter((e) => e.type === 'conversation.item.added')
        .map((e) => e.item as Item).filter((i) => i.type === 'function_call_output' && i.call_id === toolCallId);
      const output = await until(async () => (await outputs())[0], 10_000, 'the service\'s output on the data channel');
      expect(output.output).toContain('C-1001');
      await until(async () => (await callEvents(page)).find((e) => e.type === 'response.output_audio_transcript.done'
        && String(e.transcript).startsWith('The tool answered:')), 10_000, 'the answer to the output');
      expect(await outputs()).toHaveLength(1); // the service's; the browser sent none

      const steps = await until(async () => {
        const page = await api<{ steps: Step[] }>(who, `/api/sessions/${sessionId}/steps`);
        return page.steps.length >= 4 ? page.steps : undefined;
      }, 15_000, 'the stored steps');
      expect(steps.map((s) => s.role)).toEqual(['user', 'assistant', 'tool', 'assistant']);
      expect(steps[2].tool_call_id).toBe(toolCallId);
    } finally {
      await page.evaluate(() => (window as unknown as { call: { stop(): void } }).call.stop()).catch(() => undefined);
      await page.context().close();
    }
  });

  it('refuses through the browser as DockErrors: another user\'s session 404, an offer that is not SDP 422', async () => {
    const owner = user('webrtc-owner');
    const init = await api<SessionInit>(owner, `/api/session2?scenario_id=${SCENARIO}`);
    const sessionId = String(init.session_id);
    const page = await callPage();
    try {
      const before = gateway.answered.length;
      const refused = await onPage(page, 'refused', callAs(user('webrtc-other'), sessionId));
      expect(refused).toMatchObject({ dockError: true, status: 404 });
      expect(gateway.answered).toHaveLength(before); // nothing was created upstream

      const notSdp = await onPage(page, 'notSdp', callAs(owner, sessionId));
      expect(notSdp).toMatchObject({ dockError: true, status: 422 });
      expect(notSdp!.body).toContain('sdp');
      expect(gateway.answered).toHaveLength(before);
    } finally {
      await page.context().close();
    }
  });
});
