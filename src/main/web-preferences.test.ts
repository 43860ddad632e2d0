import { describe, expect, it } from 'vitest';
import { secureWebPreferences } from './web-preferences';

describe('the window the renderer runs in', () => {
  it('is sandboxed and isolated, with no Node and web security on', () => {
    expect(secureWebPreferences('/x/preload.cjs')).toMatchObject({
      preload: '/x/preload.cjs',
      sandbox: true,
      contextIsolation: true,
      nodeIntegration: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      webviewTag: false,
    });
  });
});
