// `npm run dev` / `npm run build` need clients/dock built (this page imports it as file:../dock): build it once.
import { execSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';

const dock = resolve(import.meta.dirname, '../../dock');
if (!existsSync(resolve(dock, 'dist/index.js'))) {
  const run = (cmd) => execSync(cmd, { cwd: dock, stdio: 'inherit' });
  console.log('dock-demo: building clients/dock first');
  if (!existsSync(resolve(dock, 'node_modules'))) run('npm ci --no-audit --no-fund --loglevel=error');
  run('npm run build');
}
