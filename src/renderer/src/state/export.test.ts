import { describe, expect, it } from 'vitest';
import { ExportChoices, type ExportSource } from './export.svelte';

const source: ExportSource = {
  doc: { meta: { id: 'doc1' } },
  codebook: { tags: [{ id: 'security' }, { id: 'diplomacy' }, { id: 'drugs' }] },
};

describe('ExportChoices', () => {
  it('starts on the open document with every tag and Markdown with its default options', () => {
    const choices = new ExportChoices(source);
    choices.reset(false);
    expect(choices.request).toEqual({
      scope: { documentIds: ['doc1'] },
      format: 'md',
      markdown: {
        layout: 'tag',
        notes: true,
        memos: true,
        paragraphRefs: true,
        citation: false,
        obsidianTags: false,
        blockIds: false,
        deepLinks: false,
        coders: false,
      },
    });
    expect(choices.problem).toBe('');
  });

  it('names chosen documents and a subset of tags; CSV carries its own options only', () => {
    const choices = new ExportChoices(source);
    choices.reset(true);
    expect(choices.request.scope).toEqual({ documentIds: [] });
    choices.scopeKind = 'chosen';
    choices.choose('doc1', false);
    expect(choices.problem).toBe('Choose at least one document.');
    choices.choose('doc2', true);
    choices.chooseTag('drugs', false);
    choices.format = 'csv';
    choices.bom = true;
    expect(choices.request).toEqual({
      scope: { documentIds: ['doc2'], tags: ['security', 'diplomacy'] },
      format: 'csv',
      bom: true,
      formulaSafe: false,
    });
  });

  it('refuses an export without tags', () => {
    const choices = new ExportChoices(source);
    choices.reset(false);
    for (const t of ['security', 'diplomacy', 'drugs']) choices.chooseTag(t, false);
    expect(choices.problem).toBe('Choose at least one tag.');
  });
});
