// Starts the packaged jar (target/quarkus-app/quarkus-run.jar) in the prod profile with JWT auth, as a deployment
// runs it, on a free port; DOCK_BASE_URL points the suite at a service already running instead. clients/dock-demo's
// browser tests start it the same way (startJar), with their page's origin allowed by CORS.
import { spawn, type ChildProcess } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { existsSync, mkdirSync, createWriteStream } from 'node:fs';
import { createServer } from 'node:net';
import { dirname, resolve } from 'node:path';
import type { TestProject } from 'vitest/node';

export const SECRET = 'dock-client-test-hs256-secret-more-than-32-bytes';
export const ISSUER = 'https://project.supabase.test/auth/v1';

const root = resolve(import.meta.dirname, '../../../..');

export function freePort(): Promise<number> {
  return new Promise((ok, fail) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => ok(port));
    });
    server.on('error', fail);
  });
}

async function waitReady(base: string, deadline: number, proc: ChildProcess, log: string): Promise<void> {
  for (;;) {
    try {
      const r = await fetch(`${base}/q/health/ready`);
      if (r.ok) return;
    } catch { /* not up yet */ }
    if (Date.now() > deadline) throw new Error(`the jar did not become ready at ${base}`);
    if (proc.exitCode !== null) throw new Error(`the jar exited with ${proc.exitCode}; see ${log}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

export interface Jar {
  baseUrl: string;
  stop(): Promise<void>;
}

/**
 * Starts the packaged jar on a free port (prod profile, JWT with SECRET/ISSUER) and waits until it is ready.
 * `env` adds to or overrides its environment (e.g. CORS origins, rate limits); `log` is relative to the checkout.
 */
export async function startJar(opts: { env?: Record<string, string>; log?: string } = {}): Promise<Jar> {
  const jar = resolve(root, 'target/quarkus-app/quarkus-run.jar');
  if (!existsSync(jar)) throw new Error(`${jar} is missing: run ./mvnw -B package -DskipTests first`);
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const logPath = resolve(root, opts.log ?? 'target/dock-client/jar.log');
  mkdirSync(dirname(logPath), { recursive: true });
  const log = createWriteStream(logPath);
  const java = process.env.JAVA_HOME ? `${process.env.JAVA_HOME}/bin/java` : 'java';
  const proc = spawn(java, ['-jar', jar], {
    cwd: root,
    env: {
      ...process.env,
      QUARKUS_PROFILE: 'prod',
      PORT: String(port),
      MANAGEMENT_PORT: '0', // /q/metrics on any free port: several jars may run side by side
      QUARKUS_HTTP_HOST: '127.0.0.1',
      DB_URL: process.env.DB_URL ?? 'jdbc:postgresql://127.0.0.1:5432/test',
      REDIS_URL: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
      AGENTDOCK_AUTH_MODE: 'jwt',
      SUPABASE_JWT_SECRET: SECRET,
      AGENTDOCK_JWT_ISSUER: ISSUER,
      AGENTDOCK_CORS_ORIGINS: process.env.DOCK_DEMO_ORIGIN ?? 'http://127.0.0.1:5173',
      AGENTDOCK_RATE_LIMIT_BOOTSTRAP_REQUESTS: '6',
      AGENTDOCK_RUN_DEFAULT_AGENT_TOOLS: 'echo,get_current_time',
      AGENTDOCK_SIMULATOR_TOKEN_DELAY: process.env.AGENTDOCK_SIMULATOR_TOKEN_DELAY ?? '0ms',
      ...(opts.env ?? {}),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  proc.stdout!.pipe(log);
  proc.stderr!.pipe(log);
  const stop = async () => {
    if (proc.exitCode === null && proc.signalCode === null) {
      proc.kill('SIGTERM');
      await new Promise((r) => proc.once('exit', r));
    }
  };
  try {
    await waitReady(baseUrl, Date.now() + 90_000, proc, logPath);
  } catch (e) {
    await stop();
    throw e;
  }
  return { baseUrl, stop };
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const given = process.env.DOCK_BASE_URL;
  const jar = given ? undefined : await startJar();
  project.provide('baseUrl', given ?? jar!.baseUrl);
  return async () => { await jar?.stop(); };
}

declare module 'vitest' {
  export interface ProvidedContext {
    baseUrl: string;
  }
}

/** An HS256 access token as Supabase issues them. */
export function token(user: string, opts: { secret?: string; expiresIn?: number } = {}): string {
  const b64 = (v: object | Buffer) => Buffer.from(v instanceof Buffer ? v : JSON.stringify(v)).toString('base64url');
  const now = Math.floor(Date.now() / 1000);
  const head = b64({ alg: 'HS256', typ: 'JWT' });
  const body = b64({ sub: user, aud: 'authenticated', role: 'authenticated', iss: ISSUER, iat: now,
    exp: now + (opts.expiresIn ?? 3600) });
  const sig = createHmac('sha256', opts.secret ?? SECRET).update(`${head}.${body}`).digest('base64url');
  return `${head}.${body}.${sig}`;
}
