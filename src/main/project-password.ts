import { app, safeStorage } from 'electron';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileDurably } from '../core/store/durable-file';
import type { Handlers } from '../core/handlers';

// The team project's password on the desktop: encrypted with the operating system's keychain
// (Electron safeStorage: Keychain, DPAPI, libsecret/kwallet) so the app can keep syncing after a
// restart without asking. Where the system offers no encryption, it is kept in memory only and
// asked for again next time: never written in plain text.

const file = () => join(app.getPath('userData'), 'project-password.bin');

export async function loadProjectPassword(): Promise<string | undefined> {
  if (!safeStorage.isEncryptionAvailable()) return undefined;
  try {
    return safeStorage.decryptString(await readFile(file()));
  } catch {
    return undefined;
  }
}

async function save(password: string | undefined): Promise<void> {
  if (password === undefined || !safeStorage.isEncryptionAvailable()) return;
  await writeFileDurably(file(), safeStorage.encryptString(password));
}

/** The handlers, with a password that share, join or sync succeeded with kept for next time. */
export function keepingProjectPassword(handlers: Handlers): Handlers {
  const kept = async <T>(password: string | undefined, result: Promise<T>): Promise<T> => {
    const value = await result;
    await save(password).catch(() => undefined);
    return value;
  };
  return {
    ...handlers,
    shareProject: (input) => kept(input.password, handlers.shareProject(input)),
    joinProject: (input) => kept(input.password, handlers.joinProject(input)),
    syncProject: (input) => kept(input.password, handlers.syncProject(input)),
  };
}
