import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { afterThisTest } from '../test-support/cleanup';
import { openTempLibrary } from '../test-support/temp-library';
import { documentFromText } from './import/document';
import { addHighlight, reattach, editParagraph } from '../test-support/at-revision';

async function setup() {
  const t = await openTempLibrary();
  afterThisTest(t.cleanup);
  const [doc] = await await t.library.listDocuments();
  const view = await t.library.getDocument(doc.id);
  const highlight = async (exact: string, tags = ['security']) => {
    const start = view.text.indexOf(exact);
    return addHighlight(t.library, { documentId: doc.id, start, end: start + exact.length, tags });
  };
  const paragraphText = (n: number) => {
    const p = view.paragraphs[n - 1];
    return view.text.slice(p.start, p.end);
  };
  return { ...t, id: doc.id, view, highlight, paragraphText };
}

describe('editing a paragraph', () => {
  it('keeps highlights before, inside and after the edit on their passages', async () => {
    const { library, id, highlight, paragraphText } = await setup();
    const before = await highlight('Taliban fighters'); // ¶ 1
    const inside = await highlight('a Taliban commander promised him'); // ¶ 2, edited below
    const after = await highlight('combat drug traffickers'); // ¶ 4
    const edited = `${paragraphText(2).replace('later that day', 'later that same day')}`;
    const result = await editParagraph(library, { documentId: id, n: 2, text: edited });
    expect(result).toMatchObject({ exact: 3, approximate: 0, orphaned: 0 });
    const doc = result.document;
    for (const h of [before, inside, after]) {
      const now = doc.highlights.find((x) => x.id === h.id);
      expect(doc.text.slice(now?.target.position.start, now?.target.position.end)).toBe(h.target.quote.exact);
    }
    expect(doc.paragraphs[3].start).toBe(doc.paragraphs[2].end + 2);
    expect(doc.text.slice(doc.paragraphs[1].start, doc.paragraphs[1].end)).toBe(edited);
    expect(await library.getDocument(id)).toEqual(doc);
  });

  it('follows a highlight whose own words were corrected, and orphans one whose passage is gone', async () => {
    const { library, id, highlight, paragraphText } = await setup();
    const typo = await highlight('surrounded the Russian Embassy in Kabul');
    const gone = await highlight('Their mission: to protect');
    const text = paragraphText(1).replace('Embassy', 'embassy').replace('Their mission: to protect', 'They guarded');
    const result = await editParagraph(library, { documentId: id, n: 1, text });
    expect(result).toMatchObject({ exact: 0, approximate: 1, orphaned: 1 });
    const moved = result.document.highlights.find((h) => h.id === typo.id);
    expect(moved?.target.quote.exact).toBe('surrounded the Russian embassy in Kabul');
    expect(moved?.orphan).toBeUndefined();
    const orphan = result.document.highlights.find((h) => h.id === gone.id);
    expect(orphan).toMatchObject({ orphan: true, tags: gone.tags, target: gone.target });
  });

  it('lets an orphan be attached to a new passage', async () => {
    const { library, id, highlight, paragraphText } = await setup();
    const gone = await highlight('Their mission: to protect');
    const result = await editParagraph(library, {
      documentId: id,
      n: 1,
      text: paragraphText(1).replace('Their mission: to protect', 'They guarded'),
    });
    const start = result.document.text.indexOf('They guarded');
    const attached = await reattach(library, { documentId: id, highlightId: gone.id, start, end: start + 12 });
    expect(attached.orphan).toBeUndefined();
    expect(attached.target.quote.exact).toBe('They guarded');
    expect(attached.id).toBe(gone.id);
  });

  describe('a highlight found approximately', () => {
    async function drifted() {
      const t = await setup();
      const typo = await t.highlight('surrounded the Russian Embassy in Kabul');
      const exact = await t.highlight('Taliban fighters');
      const text = t.paragraphText(1).replace('Embassy', 'embassy');
      const result = await editParagraph(t.library, { documentId: t.id, n: 1, text });
      return { ...t, typo, exact, result };
    }

    it('is marked for review with the quote it was made on, and listed by id', async () => {
      const { library, id, typo, exact, result } = await drifted();
      expect(result).toMatchObject({ exact: 1, approximate: 1, toReview: [typo.id] });
      const moved = result.document.highlights.find((h) => h.id === typo.id);
      expect(moved?.approximate).toEqual({ was: 'surrounded the Russian Embassy in Kabul' });
      expect(result.document.highlights.find((h) => h.id === exact.id)?.approximate).toBeUndefined();
      // Stored, so a reload still shows it awaiting review.
      expect((await library.getDocument(id)).highlights.find((h) => h.id === typo.id)?.approximate).toBeDefined();
    });

    it('stays awaiting review through a later edit, with its first quote', async () => {
      const { library, id, typo, result, view } = await drifted();
      const p = result.document.paragraphs[1];
      const second = result.document.text.slice(p.start, p.end).replace('later that day', 'later that same day');
      const again = await editParagraph(library, { documentId: id, n: 2, text: second });
      expect(again.toReview).toEqual([typo.id]);
      expect(again.document.highlights.find((h) => h.id === typo.id)?.approximate?.was).toBe(
        view.text.slice(typo.target.position.start, typo.target.position.end),
      );
    });

    it('is accepted: the flag goes, the passage stays', async () => {
      const { library, id, typo } = await drifted();
      const accepted = await library.reviewHighlight({ documentId: id, highlightId: typo.id, decision: 'accept' });
      expect(accepted.approximate).toBeUndefined();
      expect(accepted.orphan).toBeUndefined();
      expect(accepted.target.quote.exact).toBe('surrounded the Russian embassy in Kabul');
      expect((await library.getDocument(id)).highlights.find((h) => h.id === typo.id)).toEqual(accepted);
    });

    it('is made an orphan showing the quote it was made on', async () => {
      const { library, id, typo } = await drifted();
      const orphan = await library.reviewHighlight({ documentId: id, highlightId: typo.id, decision: 'orphan' });
      expect(orphan).toMatchObject({ orphan: true, tags: typo.tags });
      expect(orphan.approximate).toBeUndefined();
      expect(orphan.target.quote.exact).toBe('surrounded the Russian Embassy in Kabul');
    });

    it('is adjusted by attaching it to the right passage, which clears the flag', async () => {
      const { library, id, typo, result } = await drifted();
      const start = result.document.text.indexOf('the Russian embassy');
      const adjusted = await reattach(library, { documentId: id, highlightId: typo.id, start, end: start + 19 });
      expect(adjusted.approximate).toBeUndefined();
      expect(adjusted.target.quote.exact).toBe('the Russian embassy');
    });

    it('refuses a review of a highlight that is not awaiting one, and changes nothing', async () => {
      const { library, id, exact, dir } = await drifted();
      const file = join(dir, 'documents', `${id}.json`);
      const before = await readFile(file, 'utf8');
      await expect(
        library.reviewHighlight({ documentId: id, highlightId: exact.id, decision: 'accept' }),
      ).rejects.toThrow(/not awaiting review/);
      await expect(
        library.reviewHighlight({ documentId: id, highlightId: 'nope', decision: 'orphan' }),
      ).rejects.toThrow(/no highlight "nope"/);
      expect(await readFile(file, 'utf8')).toBe(before);
    });
  });

  it.each([
    [{ n: 99 }, /no ¶ 99/],
    [{ text: '  \n ' }, /cannot be empty/],
  ])('rejects %j and changes nothing', async (change, message) => {
    const { library, id, dir } = await setup();
    const file = join(dir, 'documents', `${id}.json`);
    const before = await readFile(file, 'utf8');
    await expect(editParagraph(library, { documentId: id, n: 1, text: 'New.', ...change })).rejects.toThrow(message);
    expect(await readFile(file, 'utf8')).toBe(before);
  });
});

describe('restoring a highlight', () => {
  it('puts a deleted highlight back with the same id, tags, note and times', async () => {
    const { library, id, highlight } = await setup();
    const h = await highlight('Taliban fighters', ['security', 'drugs']);
    const noted = await library.updateHighlight({ documentId: id, highlightId: h.id, note: 'why' });
    await library.deleteHighlight(id, h.id);
    expect(await library.restoreHighlight(noted)).toEqual(noted);
    expect((await library.getDocument(id)).highlights).toEqual([noted]);
  });

  it('replaces a changed highlight with an earlier version exactly', async () => {
    const { library, id, highlight } = await setup();
    const h = await highlight('Taliban fighters');
    await library.updateHighlight({ documentId: id, highlightId: h.id, tags: ['drugs'], note: 'x' });
    await library.restoreHighlight(h);
    expect((await library.getDocument(id)).highlights).toEqual([h]);
  });

  it('refuses a copy that no longer matches the text', async () => {
    const { library, highlight } = await setup();
    const h = await highlight('Taliban fighters');
    const stale = { ...h, target: { ...h.target, quote: { ...h.target.quote, exact: 'something else' } } };
    await expect(library.restoreHighlight(stale)).rejects.toMatchObject({ code: 'CONFLICT' });
    await expect(library.restoreHighlight({ ...h, tags: ['weather'] })).rejects.toThrow(/Unknown tag/);
  });
});

describe('adding documents', () => {
  it('adds a document once; the same text again is recognised', async () => {
    const { library, dir } = await setup();
    const raw = await readFile(join(process.cwd(), 'e2e', 'fixtures', 'multiscript.txt'), 'utf8');
    const doc = documentFromText(raw, 'multiscript.txt', new Date());
    expect(await library.addDocument(doc)).toEqual({ id: doc.meta.id, added: true });
    expect(await library.addDocument(doc)).toEqual({ id: doc.meta.id, added: false });
    expect((await await library.listDocuments()).map((d) => d.id)).toContain(doc.meta.id);
    const index = JSON.parse(await readFile(join(dir, 'library.json'), 'utf8'));
    expect(index.documents).toHaveLength(2);
  });
});
