import { describe, expect, it } from 'vitest';
import { afterThisTest } from '../test-support/cleanup';
import { openTempLibrary } from '../test-support/temp-library';
import { addHighlight } from '../test-support/at-revision';

async function setup() {
  const t = await openTempLibrary();
  afterThisTest(t.cleanup);
  const [doc] = await t.library.listDocuments();
  const { text } = await t.library.getDocument(doc.id);
  const mark = (exact: string, tags: string[]) => {
    const start = text.indexOf(exact);
    return addHighlight(t.library, { documentId: doc.id, start, end: start + exact.length, tags });
  };
  return { ...t, id: doc.id, text, mark };
}

describe('coders', () => {
  it('stamp the library’s coder on the highlights it makes, and keep each coder’s highlight on the same words apart', async () => {
    const { library, id, mark } = await setup();
    expect(await library.getCoder()).toEqual({ coder: null });
    const before = await mark('combat drug traffickers', ['drugs']);
    expect(before.coder).toBeUndefined();
    expect(await library.setCoder({ coder: 'Ana' })).toEqual({ coder: 'Ana' });
    const ana = await mark('combat drug traffickers', ['security']);
    // Not merged into the unattributed one: a new highlight, Ana's.
    expect(ana.id).not.toBe(before.id);
    expect(ana.coder).toBe('Ana');
    // Ana again on the same words: her own highlight gains the code.
    const again = await mark('combat drug traffickers', ['diplomacy']);
    expect(again).toMatchObject({ id: ana.id, tags: ['security', 'diplomacy'], coder: 'Ana' });
    await library.setCoder({ coder: 'Ben' });
    const ben = await mark('combat drug traffickers', ['security']);
    expect(ben.coder).toBe('Ben');
    expect((await library.getDocument(id)).highlights).toHaveLength(3);
    await library.setCoder({ coder: null });
    expect(await library.getCoder()).toEqual({ coder: null });
  });

  it('measures agreement per code and overall, from the coders’ highlights', async () => {
    const { library, id, text, mark } = await setup();
    await library.setCoder({ coder: 'Ana' });
    await mark('surrounded the Russian Embassy in Kabul', ['security']);
    await mark('combat drug traffickers', ['drugs']);
    await library.setCoder({ coder: 'Ben' });
    await mark('surrounded the Russian Embassy', ['security']);
    await mark('combat drug traffickers', ['drugs']);
    const report = await library.getAgreement({ coders: ['Ana', 'Ben'] });
    expect(report.coders).toEqual(['Ana', 'Ben']);
    expect(report.documents).toBe(1);
    const security = report.codes.find((c) => c.tagId === 'security')!;
    const n = text.length;
    // Ana's 39 characters, Ben's first 30 of them.
    expect(security.table).toEqual({ both: 30, firstOnly: 9, secondOnly: 0, neither: n - 39 });
    expect(security.jaccard).toBeCloseTo(30 / 39, 10);
    const drugs = report.codes.find((c) => c.tagId === 'drugs')!;
    expect(drugs).toMatchObject({ kappa: 1, alpha: 1, percent: 1, jaccard: 1 });
    // No one used diplomacy: nothing to disagree on, no coding to compare.
    expect(report.codes.find((c) => c.tagId === 'diplomacy')).toMatchObject({ percent: 1, jaccard: null });
    expect(report.overall.table).toEqual({ both: 30 + 23, firstOnly: 9, secondOnly: 0, neither: 3 * n - 30 - 9 - 23 });
    // Asked for one code and the document by id: the same numbers.
    const only = await library.getAgreement({ coders: ['Ben', 'Ana'], tags: ['security'], documentIds: [id] });
    expect(only.codes).toHaveLength(1);
    expect(only.codes[0].table).toEqual({ both: 30, firstOnly: 0, secondOnly: 9, neither: n - 39 });
    expect(only.codes[0].kappa).toBeCloseTo(security.kappa as number, 12);
  });

  it('refuses the same coder twice, unknown codes and documents, and changes nothing', async () => {
    const { library } = await setup();
    await expect(library.getAgreement({ coders: ['Ana', 'Ana'] })).rejects.toThrow(/two different coders/);
    await expect(library.getAgreement({ coders: ['Ana', 'Ben'], tags: ['nope'] })).rejects.toThrow(
      /no code with id "nope"/,
    );
    await expect(library.getAgreement({ coders: ['Ana', 'Ben'], documentIds: ['nope'] })).rejects.toThrow(
      /no document with id "nope"/,
    );
  });

  it('lists the coders, steps through the passages where they differ, and adopts one version into the consensus layer that exports like any coding', async () => {
    const { library, id, mark } = await setup();
    await library.setCoder({ coder: 'Ana' });
    const anaWide = await mark('surrounded the Russian Embassy in Kabul', ['security']);
    await mark('combat drug traffickers', ['drugs']);
    await library.setCoder({ coder: 'Ben' });
    const benNarrow = await mark('surrounded the Russian Embassy', ['security']);
    await mark('combat drug traffickers', ['drugs']);
    expect((await library.listCoders()).coders).toEqual([
      { name: 'Ana', highlights: 2 },
      { name: 'Ben', highlights: 2 },
    ]);

    // They agree on "drugs"; on the embassy they differ by two words: one passage to settle.
    const [passage, ...rest] = await library.getDisagreements({ coders: ['Ana', 'Ben'] });
    expect(rest).toEqual([]);
    expect(passage).toMatchObject({ documentId: id, consensus: [] });
    expect(passage.versions.map((v) => [v.coder, v.highlights.map((h) => h.quote)])).toEqual([
      ['Ana', ['surrounded the Russian Embassy in Kabul']],
      ['Ben', ['surrounded the Russian Embassy']],
    ]);
    expect(await library.getDisagreements({ coders: ['Ana', 'Ben'], tags: ['drugs'] })).toEqual([]);

    // The team adopts Ana's version; then changes its mind to Ben's, which replaces it.
    const [adopted] = await library.adjudicate({
      documentId: id,
      start: passage.start,
      end: passage.end,
      highlightIds: [anaWide.id],
    });
    expect(adopted).toMatchObject({ coder: 'Consensus', tags: ['security'], target: anaWide.target });
    expect((await library.getDisagreements({ coders: ['Ana', 'Ben'] }))[0].consensus.map((h) => h.quote)).toEqual([
      'surrounded the Russian Embassy in Kabul',
    ]);
    await library.adjudicate({ documentId: id, start: passage.start, end: passage.end, highlightIds: [benNarrow.id] });
    const consensus = (await library.getDocument(id)).highlights.filter((h) => h.coder === 'Consensus');
    expect(consensus.map((h) => h.target.quote.exact)).toEqual(['surrounded the Russian Embassy']);
    // The coders' own highlights are untouched.
    expect((await library.getDocument(id)).highlights.filter((h) => h.coder !== 'Consensus')).toHaveLength(4);

    // The consensus layer exports like any coding; the coder can be named in Markdown.
    const md = await library.consistentView('all');
    expect(md.docs[0].highlights).toHaveLength(5);
    const { exportAs } = await import('../core/export');
    const file = await exportAs(library, { coders: ['Consensus'] }, 'md', { markdown: { coders: true } });
    expect(file.content).toContain('> surrounded the Russian Embassy\n\n— ¶');
    expect(file.content).toContain('coded by Consensus');
    expect(file.content).not.toContain('combat drug traffickers');

    await expect(
      library.adjudicate({ documentId: id, start: passage.start, end: passage.end, highlightIds: ['nope'] }),
    ).rejects.toThrow(/no highlight "nope"/);
  });
});
