import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import openapiTS, { astToString } from 'openapi-typescript';
import { describe, expect, it } from 'vitest';

const pkg = resolve(import.meta.dirname, '../..');
const doc = JSON.parse(readFileSync(join(pkg, 'openapi/agentdock.json'), 'utf8'));

/** Compiles src/ against types generated from `document`; returns tsc's complaints ('' when it compiles). */
async function compileAgainst(document: object): Promise<string> {
  const dir = mkdtempSync(join(pkg, '.typed-check-')); // inside the package, so node_modules resolve
  try {
    cpSync(join(pkg, 'src'), join(dir, 'src'), { recursive: true });
    writeFileSync(join(dir, 'src/api.gen.ts'), astToString(await openapiTS(document as never)));
    writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify({
      extends: join(pkg, 'tsconfig.json'),
      compilerOptions: { noEmit: true, rootDir: 'src' },
      include: ['src'],
    }));
    execFileSync(process.execPath, [join(pkg, 'node_modules/typescript/bin/tsc'), '-p', dir], { encoding: 'utf8' });
    return '';
  } catch (e) {
    return String((e as { stdout?: string }).stdout ?? e);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('the client is typed by the OpenAPI document', () => {
  it('compiles against the document as it is', async () => {
    expect(await compileAgainst(doc)).toBe('');
  }, 60_000);

  it('a renamed route and a renamed field break the build, naming the call', async () => {
    const changed = structuredClone(doc);
    changed.paths['/api/sessions/{session_id}/forks'] = changed.paths['/api/sessions/{session_id}/fork'];
    delete changed.paths['/api/sessions/{session_id}/fork'];
    const body = changed.components.schemas.ChatRequestBody.properties;
    body.sessionId = body.session_id;
    delete body.session_id;
    const errors = await compileAgainst(changed);
    expect(errors).toMatch(/src\/dock\.ts.*\/api\/sessions\/\{session_id\}\/fork/);
    expect(errors).toMatch(/src\/dock\.ts.*session_id/);
  }, 60_000);
});
