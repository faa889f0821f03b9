// Global setup of the browser tests: serves the built page (dist/) from its own origin on a free port, then starts
// the packaged jar (prod profile, JWT; clients/dock's startJar) with that origin allowed by CORS and a low chat
// rate limit, so a 429 is reachable in a few turns.
import { createReadStream, existsSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { extname, join, resolve } from 'node:path';
import type { TestProject } from 'vitest/node';
import { freePort, startJar } from '../../dock/test/jar/jar.ts';

export const CHAT_LIMIT = 6;

const dist = resolve(import.meta.dirname, '../dist');
const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.css': 'text/css', '.svg': 'image/svg+xml',
  '.png': 'image/png', '.json': 'application/json', '.map': 'application/json',
};

function serve(port: number): Promise<Server> {
  const server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    let file = join(dist, path);
    if (!file.startsWith(dist) || !existsSync(file) || statSync(file).isDirectory()) file = join(dist, 'index.html');
    res.writeHead(200, { 'Content-Type': TYPES[extname(file)] ?? 'application/octet-stream' });
    createReadStream(file).pipe(res);
  });
  return new Promise((ok) => server.listen(port, '127.0.0.1', () => ok(server)));
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  if (!existsSync(join(dist, 'index.html'))) throw new Error(`${dist} is missing: run npm run build first`);
  const server = await serve(await freePort());
  const { port } = server.address() as { port: number };
  const origin = `http://127.0.0.1:${port}`;
  const jar = await startJar({
    log: 'target/dock-demo/jar.log',
    env: { AGENTDOCK_CORS_ORIGINS: origin, AGENTDOCK_RATE_LIMIT_CHAT_REQUESTS: String(CHAT_LIMIT) },
  }).catch(async (e: unknown) => { server.close(); throw e; });
  project.provide('baseUrl', jar.baseUrl);
  project.provide('pageUrl', origin);
  return async () => {
    await jar.stop();
    await new Promise((ok) => server.close(ok));
  };
}

declare module 'vitest' {
  export interface ProvidedContext {
    baseUrl: string;
    pageUrl: string;
  }
}
