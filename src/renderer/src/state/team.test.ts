import { describe, expect, it } from 'vitest';
import { afterThisTest } from '../../../test-support/cleanup';
import { startCouch } from '../../../test-support/pouchdb-server';
import { realClient } from '../../../test-support/real-client';
import { ago, indicator, TeamState, type LiveStatus } from './team.svelte';

const base: LiveStatus = {
  server: 'http://127.0.0.1:5984',
  db: 'p',
  state: 'synced',
  blind: false,
  lastSync: '2026-11-26T10:00:00.000Z',
  conflicts: [],
  refused: [],
  syncing: false,
  auto: true,
};
const at = Date.parse('2026-11-26T10:03:00.000Z');

describe('the sync indicator', () => {
  it('says synced, syncing, offline, error and what waits to be settled', () => {
    expect(indicator(null)).toBeNull();
    expect(indicator(base, at)).toEqual({ label: 'Synced 3 min ago', tone: 'ok' });
    expect(indicator({ ...base, syncing: true }, at)?.label).toBe('Syncing…');
    expect(indicator({ ...base, state: 'offline' }, at)).toEqual({ label: 'Offline · synced 3 min ago', tone: 'warn' });
    expect(indicator({ ...base, state: 'error' }, at)?.tone).toBe('error');
    expect(indicator({ ...base, conflicts: ['a', 'b'] }, at)).toEqual({
      label: 'Synced 3 min ago · 2 to settle',
      tone: 'warn',
    });
    expect(ago('2026-11-26T10:02:50.000Z', at)).toBe('just now');
    expect(ago('2026-11-25T08:00:00.000Z', at)).toBe('2026-11-25');
  });
});

describe('TeamState', () => {
  it('shares the library, syncs on request and shows what the server said when it fails', async () => {
    const couch = await startCouch();
    afterThisTest(couch.stop);
    const { client } = await realClient();
    const team = new TeamState(client);
    await team.load();
    expect(team.status).toBeNull();
    await team.setCoder('Ana');
    expect(team.coder).toBe('Ana');
    expect(await team.share({ server: couch.url, db: 'team-ui', user: '', password: '' })).toBe(true);
    expect(team.status).toMatchObject({ db: 'team-ui', state: 'synced', syncing: false });
    expect(team.lastReport?.pushed).toBeGreaterThan(0);
    expect(await team.syncNow()).toBe(true);
    await couch.stop();
    expect(await team.syncNow()).toBe(false);
    expect(team.error).toMatch(/Cannot reach/);
    expect(team.status?.state).toBe('offline');
    expect(await team.share({ server: 'not a url', db: 'x', user: '', password: '' })).toBe(false);
    expect(team.error).toMatch(/already a team project/);
  }, 30_000);
});
