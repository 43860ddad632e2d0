import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { afterThisTest } from '../../test-support/cleanup';
import { bundleForNode } from '../../test-support/bundle';
import { openTempLibrary } from '../../test-support/temp-library';
import { Library } from '../library';

const CHAINS = 2;
const KILLS_PER_CHAIN = 100;
const ACKS_PER_CHAIN = 500;

interface Ack {
  id: string;
  note: string;
}

/** Runs the writer until SIGKILL lands at a random moment; returns the changes it acknowledged. */
function runAndKill(writer: string, dir: string, seed: number): Promise<Ack[]> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [writer, dir, String(seed)], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (chunk: Buffer) => {
      const ready = !out.includes('READY') && (out + chunk.toString()).includes('READY');
      out += chunk.toString();
      // Anywhere in the first 25 ms of saving: mid-append, mid-fsync, mid-compaction, between.
      if (ready) setTimeout(() => child.kill('SIGKILL'), Math.random() * 25);
    });
    child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
    child.on('error', reject);
    child.on('close', (_code, signal) => {
      if (signal !== 'SIGKILL') reject(new Error(`the writer stopped by itself: ${err}`));
      // Only complete lines: an ACK cut short by the kill was never seen by anyone.
      const lines = out.split('\n').slice(0, -1);
      resolve(lines.filter((l) => l.startsWith('ACK ')).map((l) => JSON.parse(l.slice(4)) as Ack));
    });
  });
}

async function chain(writer: string, seed: number): Promise<{ acks: number; kills: number }> {
  const t = await openTempLibrary();
  afterThisTest(t.cleanup);
  const [doc] = await t.library.listDocuments();
  await t.library.close();
  const latest = new Map<string, string>();
  let acks = 0;
  let kills = 0;
  while (kills < KILLS_PER_CHAIN || acks < ACKS_PER_CHAIN) {
    const acked = await runAndKill(writer, t.dir, seed + kills);
    kills++;
    acks += acked.length;
    for (const a of acked) latest.set(a.id, a.note);
    // Every file opens, and every acknowledged change is there as acknowledged (or with the
    // change that was made durable in the instant before the kill, never acknowledged).
    const library = await Library.open({ dataDir: t.dir, owner: 'crash-check' });
    try {
      expect(library.notices.filter((n) => n.level === 'error')).toEqual([]);
      const stored = new Map((await library.getDocument(doc.id)).highlights.map((h) => [h.id, h]));
      for (const [id, note] of latest) {
        const h = stored.get(id);
        expect(h, `acknowledged highlight ${id} is missing after kill ${kills}`).toBeDefined();
        if (note.startsWith('changed')) expect(h?.note).toBe(note);
        else expect([note, note.replace('note', 'changed')]).toContain(h?.note);
      }
      // Nothing duplicated, and at most one unacknowledged save per kill.
      expect(stored.size).toBeLessThanOrEqual(latest.size + kills);
      expect(stored.size).toBeGreaterThanOrEqual(latest.size);
      const [summary] = await library.listDocuments();
      expect(summary.highlightCount).toBe(stored.size);
    } finally {
      await library.close();
    }
  }
  return { acks, kills };
}

describe('crash safety', () => {
  it('SIGKILL at random points during 1,000 saves by several processes loses and duplicates nothing', async () => {
    const writer = await bundleForNode('src/test-support/crash-writer.ts', 'crash-writer');
    const results = await Promise.all(Array.from({ length: CHAINS }, (_, i) => chain(writer, i * 1000)));
    const total = results.reduce((sum, r) => ({ acks: sum.acks + r.acks, kills: sum.kills + r.kills }), {
      acks: 0,
      kills: 0,
    });
    expect(total.kills).toBeGreaterThanOrEqual(200);
    expect(total.acks).toBeGreaterThanOrEqual(1000);
  }, 240_000);
});
