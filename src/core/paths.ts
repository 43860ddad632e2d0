import { homedir } from 'node:os';
import { join } from 'node:path';

export const APP_NAME = 'Glossa';

/**
 * The folder Electron's `app.getPath('userData')` gives an app named "Glossa", computed without
 * Electron so the CLI and web mode open the same library as the desktop app.
 */
export function defaultDataDir(
  env: NodeJS.ProcessEnv = process.env,
  platform: NodeJS.Platform = process.platform,
  home: string = homedir(),
): string {
  if (platform === 'win32') return join(env.APPDATA ?? join(home, 'AppData', 'Roaming'), APP_NAME);
  if (platform === 'darwin') return join(home, 'Library', 'Application Support', APP_NAME);
  return join(env.XDG_CONFIG_HOME || join(home, '.config'), APP_NAME);
}

/** `--data-dir` wins, then GLOSSA_DATA_DIR, then the platform's default. */
export function resolveDataDir(flag: string | undefined, env: NodeJS.ProcessEnv = process.env): string {
  return flag || env.GLOSSA_DATA_DIR || defaultDataDir(env);
}
