// Starts the packaged jar (target/quarkus-app/quarkus-run.jar) in the prod profile with JWT auth, as a deployment
// runs it, on a free port; DOCK_BASE_URL points the suite at a service already running instead.
import { spawn, type ChildProcess } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { existsSync, mkdirSync, createWriteStream } from 'node:fs';
import { createServer } from 'node:net';
import { resolve } from 'node:path';
import type { TestProject } from 'vitest/node';

export const SECRET = 'dock-client-test-hs256-secret-more-than-32-bytes';
export const ISSUER = 'https://project.supabase.test/auth/v1';

const root = resolve(import.meta.dirname, '../../../..');
let child: ChildProcess | undefined;

function freePort(): Promise<number> {
  return new Promise((ok, fail) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => ok(port));
    });
    server.on('error', fail);
  });
}

async function waitReady(base: string, deadline: number): Promise<void> {
  for (;;) {
    try {
      const r = await fetch(`${base}/q/health/ready`);
      if (r.ok) return;
    } catch { /* not up yet */ }
    if (Date.now() > deadline) throw new Error(`the jar did not become ready at ${base}`);
    if (child && child.exitCode !== null) throw new Error(`the jar exited with ${child.exitCode}; see target/dock-client/jar.log`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  let base = process.env.DOCK_BASE_URL;
  if (!base) {
    const jar = resolve(root, 'target/quarkus-app/quarkus-run.jar');
    if (!existsSync(jar)) throw new Error(`${jar} is missing: run ./mvnw -B package -DskipTests first`);
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    mkdirSync(resolve(root, 'target/dock-client'), { recursive: true });
    const log = createWriteStream(resolve(root, 'target/dock-client/jar.log'));
    const java = process.env.JAVA_HOME ? `${process.env.JAVA_HOME}/bin/java` : 'java';
    child = spawn(java, ['-jar', jar], {
      cwd: root,
      env: {
        ...process.env,
        QUARKUS_PROFILE: 'prod',
        PORT: String(port),
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
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout!.pipe(log);
    child.stderr!.pipe(log);
    await waitReady(base, Date.now() + 90_000);
  }
  project.provide('baseUrl', base);
  return async () => {
    if (child && child.exitCode === null) {
      child.kill('SIGTERM');
      await new Promise((r) => child!.once('exit', r));
    }
  };
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
