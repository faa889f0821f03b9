// Headless Chromium from Debian's package (never a downloaded browser), driven by playwright-core.
import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { connect, createServer as createNetServer, type Socket } from 'node:net';
import { expect, inject } from 'vitest';
import { token } from '../../dock/test/jar/jar.ts';

export const FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];
export const SHOTS = resolve(import.meta.dirname, '../test-results');

export function chromiumPath(): string {
  const path = process.env.CHROMIUM ?? execFileSync('sh', ['-c', 'command -v chromium'], { encoding: 'utf8' }).trim();
  if (!path) throw new Error('chromium is not installed: apt-get install -y chromium (.ci/run does)');
  return path;
}

export function launch(): Promise<Browser> {
  mkdirSync(SHOTS, { recursive: true });
  return chromium.launch({ executablePath: chromiumPath(), headless: true, args: FLAGS });
}

export const baseUrl = () => inject('baseUrl');

export function user(prefix: string): string {
  return `${prefix}-${Math.random().toString(36).slice(2, 10)}`;
}

export interface DemoPage {
  page: Page;
  context: BrowserContext;
  user: string;
  shot(name: string): Promise<void>;
  /** The service's API as this user, from Node (to compare what the page shows with what was stored). */
  api<T = unknown>(path: string): Promise<T>;
}

/** Opens the page as `who`; its token getter mints a fresh JWT per request (signed with `secret`). */
export async function openDemo(browser: Browser, who: string,
  opts: { secret?: string; query?: string; base?: string } = {}): Promise<DemoPage> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 860 } });
  const page = await context.newPage();
  await page.exposeFunction('dockGetToken', () => token(who, { secret: opts.secret }));
  const url = new URL(inject('pageUrl'));
  url.searchParams.set('base', opts.base ?? baseUrl());
  for (const [k, v] of new URLSearchParams(opts.query ?? '')) url.searchParams.set(k, v);
  await page.goto(url.toString());
  return {
    page, context, user: who,
    shot: async (name) => { await page.screenshot({ path: resolve(SHOTS, `${name}.png`), fullPage: true }); },
    api: async <T>(path: string) => {
      const r = await fetch(`${baseUrl()}${path}`, { headers: { Authorization: `Bearer ${token(who)}` } });
      if (!r.ok) throw new Error(`${path}: ${r.status} ${await r.text()}`);
      return (await r.json()) as T;
    },
  };
}

/** Types a message and sends it. */
export async function send(demo: DemoPage, message: string): Promise<void> {
  await demo.page.getByTestId('message').fill(message);
  await demo.page.getByTestId('send').click();
}

export const lastAssistant = (demo: DemoPage) => demo.page.getByTestId('assistant-message').last();

/** Waits until the page shows `count` answers, the last one ended with `status`, and the turn is over. */
export async function waitTurn(demo: DemoPage, count: number, status: string, timeout = 20_000): Promise<void> {
  const answers = demo.page.getByTestId('assistant-message');
  await expect.poll(() => answers.count(), { timeout }).toBe(count);
  await expect.poll(() => answers.last().getAttribute('data-status'), { timeout }).toBe(status);
  await demo.page.getByTestId('send').waitFor({ timeout });
}

/** A TCP relay in front of the service whose open connections can be cut, as a network drop cuts them. */
export async function cuttableRelay(target: string): Promise<{ url: string; cut(): number; close(): Promise<void> }> {
  const { hostname, port } = new URL(target);
  const pairs = new Set<[Socket, Socket]>();
  const server = createNetServer((client) => {
    const upstream = connect(Number(port), hostname);
    const pair: [Socket, Socket] = [client, upstream];
    pairs.add(pair);
    const drop = () => { client.destroy(); upstream.destroy(); pairs.delete(pair); };
    client.on('error', drop).on('close', drop);
    upstream.on('error', drop).on('close', drop);
    client.pipe(upstream).pipe(client);
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const { port: own } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${own}`,
    cut: () => {
      const n = pairs.size;
      for (const [a, b] of [...pairs]) { a.resetAndDestroy(); b.destroy(); }
      pairs.clear();
      return n;
    },
    close: () => new Promise((ok) => { for (const [a, b] of pairs) { a.destroy(); b.destroy(); } server.close(() => ok()); }),
  };
}
