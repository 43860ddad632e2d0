import { describe, expect, it } from 'vitest';
import { realClient } from '../../../test-support/real-client';
import { AgreementState } from './agreement.svelte';

async function twoCoders() {
  const t = await realClient();
  const { text } = await t.client.getDocument({ documentId: t.documentId });
  const mark = async (exact: string, tags: string[]) => {
    const start = text.indexOf(exact);
    const doc = await t.client.getDocument({ documentId: t.documentId });
    return t.client.createHighlight({
      documentId: t.documentId,
      revision: doc.revision,
      start,
      end: start + exact.length,
      quote: exact,
      tags,
    });
  };
  await t.client.setCoder({ coder: 'Ana' });
  await mark('surrounded the Russian Embassy in Kabul', ['security']);
  await mark('combat drug traffickers', ['drugs']);
  await t.client.setCoder({ coder: 'Ben' });
  await mark('surrounded the Russian Embassy', ['security']);
  await mark('combat drug traffickers', ['diplomacy']);
  return t;
}

describe('AgreementState', () => {
  it('compares the first two coders, steps through their disagreements and adopts versions into the consensus', async () => {
    const { client, documentId } = await twoCoders();
    const state = new AgreementState(client);
    await state.load();
    expect(state.coders.map((c) => c.name)).toEqual(['Ana', 'Ben']);
    expect(state.chosen).toEqual(['Ana', 'Ben']);
    expect(state.report?.codes.find((c) => c.tagId === 'drugs')?.jaccard).toBe(0);
    expect(state.passages).toHaveLength(2);
    expect(state.current?.versions.map((v) => v.coder)).toEqual(['Ana', 'Ben']);
    state.step(1);
    expect(state.index).toBe(1);
    state.step(1);
    expect(state.index).toBe(0);

    await state.adopt('Ben');
    expect(state.error).toBe('');
    expect(state.settled).toBe(1);
    expect(state.index).toBe(1);
    await state.adopt(null);
    // "None of them": nothing adopted there, so that passage stays open.
    expect(state.settled).toBe(1);
    const consensus = (await client.getDocument({ documentId })).highlights.filter((h) => h.coder === 'Consensus');
    expect(consensus.map((h) => h.target.quote.exact)).toEqual(['surrounded the Russian Embassy']);
    // The consensus is not a coder to compare.
    await state.load();
    expect(state.coders.map((c) => c.name)).toEqual(['Ana', 'Ben']);
  });

  it('needs two coders: with one chosen there is nothing to compute', async () => {
    const { client } = await twoCoders();
    const state = new AgreementState(client);
    await state.load();
    state.toggle('Ben', false);
    await state.compute();
    expect(state.report).toBeNull();
    expect(state.passages).toEqual([]);
  });
});
