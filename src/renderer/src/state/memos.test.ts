import { describe, expect, it } from 'vitest';
import { deepLink } from '../../../shared/deep-link';
import { realClient } from '../../../test-support/real-client';
import { linksIn, MemosState } from './memos.svelte';

describe('MemosState', () => {
  it('saves memos of the project, a code and a document; an empty text removes one', async () => {
    const { client, documentId } = await realClient();
    const memos = new MemosState(client);
    await memos.save({ kind: 'project' }, 'Journal');
    await memos.save({ kind: 'code', tagId: 'drugs' }, 'On drugs');
    await memos.save({ kind: 'document', documentId }, 'On this text');
    expect(memos.all.map((r) => r.target.kind)).toEqual(['project', 'code', 'document']);
    await memos.save({ kind: 'code', tagId: 'drugs' }, '  ');
    expect(memos.get({ kind: 'code', tagId: 'drugs' })).toBeUndefined();
    const again = new MemosState(client);
    await again.load();
    expect(again.get({ kind: 'project' })?.text).toBe('Journal');
    expect(await memos.save({ kind: 'code', tagId: 'nope' }, 'x')).toBe(false);
    expect(memos.error).toMatch(/no code/);
  });

  it('finds the glossa:// links in a memo and answers which memos link to a passage', async () => {
    const { client, documentId } = await realClient();
    const memos = new MemosState(client);
    const link = deepLink(documentId, 'h1');
    expect(linksIn(`See ${link}, and [this](${deepLink(documentId)}).`)).toEqual([
      { documentId, highlightId: 'h1' },
      { documentId },
    ]);
    await memos.save({ kind: 'project' }, `Key passage: ${link}`);
    expect(memos.backlinks(documentId, 'h1').map((r) => r.target.kind)).toEqual(['project']);
    expect(memos.backlinks(documentId, 'h2')).toEqual([]);
  });
});
