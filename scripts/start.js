#!/usr/bin/env node
// `npm start`: builds Glossa when the build is missing or older than the sources, then opens the
// desktop app — or, where the Electron binary is absent, the same app in web mode in the browser.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const extraArgs = process.argv.slice(2);

function newest(dir) {
  let latest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    latest = Math.max(latest, entry.isDirectory() ? newest(path) : statSync(path).mtimeMs);
  }
  return latest;
}

const builtMarker = join(root, 'out', 'main', 'cli.js');
if (!existsSync(builtMarker) || statSync(builtMarker).mtimeMs < newest(join(root, 'src'))) {
  console.log('Building Glossa…');
  const build = spawnSync(
    process.execPath,
    [join(root, 'node_modules', 'electron-vite', 'bin', 'electron-vite.js'), 'build'],
    {
      cwd: root,
      stdio: 'inherit',
    },
  );
  if (build.status !== 0) process.exit(build.status ?? 1);
}

function electronBinary() {
  const pkg = join(root, 'node_modules', 'electron');
  const pathFile = join(pkg, 'path.txt');
  if (!existsSync(pathFile)) return null;
  const dist = process.env.ELECTRON_OVERRIDE_DIST_PATH ?? join(pkg, 'dist');
  const binary = join(dist, readFileSync(pathFile, 'utf8').trim());
  return existsSync(binary) ? binary : null;
}

const binary = electronBinary();
const child = binary
  ? spawn(binary, [root, ...extraArgs], { cwd: root, stdio: 'inherit' })
  : (console.log(
      'The Electron binary is not installed (it could not be downloaded on this machine), so Glossa starts in web mode in your browser instead.',
    ),
    spawn(process.execPath, [join(root, 'bin', 'glossa.js'), 'serve', ...extraArgs], { cwd: root, stdio: 'inherit' }));

for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
child.on('close', (code) => process.exit(code ?? 0));
