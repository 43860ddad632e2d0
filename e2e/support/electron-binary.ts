import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from './glossa';

/**
 * The Electron binary, if this machine has one, found without `require('electron')` (which, in
 * Electron 45, tries to download it). Otherwise the reason there is none, for the skip message.
 */
export function findElectron(): { path: string } | { reason: string } {
  const pkg = join(ROOT, 'node_modules', 'electron');
  const override = process.env.ELECTRON_OVERRIDE_DIST_PATH;
  const pathFile = join(pkg, 'path.txt');
  if (!existsSync(pathFile)) {
    return {
      reason: `no Electron binary: ${pathFile} is missing (installed with ELECTRON_SKIP_BINARY_DOWNLOAD=1; the binary cannot be downloaded here)`,
    };
  }
  const relative = readFileSync(pathFile, 'utf8').trim();
  const binary = join(override ?? join(pkg, 'dist'), relative);
  return existsSync(binary) ? { path: binary } : { reason: `no Electron binary at ${binary}` };
}
