import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { realClient } from '../test-support/real-client';
import { UndoHistory } from './history';
import type { Highlight } from './types';
import { addHighlight } from '../test-support/at-revision';

/** The real services behind the same client the renderer uses, minus only the transport. */
async function setup() {
  const { client, documentId } = await realClient();
  const state = async () => (await client.getDocument({ documentId })).highlights;
  return { client, documentId, state, history: new UndoHistory(client) };
}

describe('UndoHistory', () => {
  it('undoes a delete with the same id, tags and note, and redoes it', async () => {
    const { client, documentId, state, history } = await setup();
    const h = await addHighlight(client, {
      documentId,
      start: 0,
      end: 20,
      tags: ['security', 'drugs'],
      note: 'a note',
    });
    history.record({ label: 'Create', documentId, before: null, after: h });
    await client.deleteHighlight({ documentId, highlightId: h.id });
    history.record({ label: 'Delete', documentId, before: h, after: null });
    expect(await state()).toEqual([]);
    expect(history.undoLabel).toBe('Delete');
    expect(await history.undo()).toMatchObject({ changes: [{ highlight: h }] });
    expect(await state()).toEqual([h]);
    await history.undo();
    expect(await state()).toEqual([]);
    await history.redo();
    expect(await state()).toEqual([h]);
    expect(history.redoLabel).toBe('Delete');
  });

  it('undoes a code created and applied in one gesture as one step, and redoes it', async () => {
    const { client, documentId, state, history } = await setup();
    const made = await client.createTag({ name: 'Elections' });
    const h = await addHighlight(client, { documentId, start: 0, end: 10, tags: [made.tag!.id] });
    history.record({
      kind: 'steps',
      label: 'Tag as new code Elections',
      steps: [
        { kind: 'codebook', label: made.change.label, changeId: made.change.id },
        { label: 'Tag', documentId, before: null, after: h },
      ],
    });
    const undone = await history.undo();
    expect(undone?.changes.map((c) => c.kind ?? 'highlight')).toEqual(['highlight', 'codebook']);
    expect(await state()).toEqual([]);
    expect((await client.getCodebook({})).tags.map((t) => t.name)).toEqual(['security', 'diplomacy', 'drugs']);
    await history.redo();
    expect(await state()).toEqual([h]);
    expect((await client.getCodebook({})).tags.map((t) => t.name)).toContain('Elections');
  });

  it('undoes two changes when asked twice at once', async () => {
    const { client, documentId, state, history } = await setup();
    const a = await addHighlight(client, { documentId, start: 0, end: 10, tags: ['security'] });
    history.record({ label: 'a', documentId, before: null, after: a });
    const b = await addHighlight(client, { documentId, start: 20, end: 30, tags: ['security'] });
    history.record({ label: 'b', documentId, before: null, after: b });
    await Promise.all([history.undo(), history.undo()]);
    expect(await state()).toEqual([]);
  });

  it('an undo asked for while a change is on its way undoes that change, not the one before', async () => {
    const { client, documentId, state, history } = await setup();
    const a = await addHighlight(client, { documentId, start: 0, end: 10, tags: ['security'] });
    history.record({ label: 'create', documentId, before: null, after: a });
    // The change is saved (and, through change events, on screen) before its answer returns and
    // it is recorded: a person can press Ctrl+Z in between.
    let saved!: () => void;
    const answered = new Promise<void>((resolve) => (saved = resolve));
    const tagging = history.change(async () => {
      const after = await client.updateHighlight({ documentId, highlightId: a.id, tags: ['security', 'drugs'] });
      await answered;
      history.record({ label: 'tag', documentId, before: a, after });
    });
    const undone = history.undo();
    saved();
    await tagging;
    expect(await undone).toMatchObject({ label: 'tag' });
    expect(await state()).toEqual([a]);
  });

  it('returns null with nothing to undo or redo', async () => {
    const { history } = await setup();
    expect(await history.undo()).toBeNull();
    expect(await history.redo()).toBeNull();
  });

  it('restores the exact store state after any sequence of changes and undos (property)', async () => {
    const { client, documentId, state, history } = await setup();
    type Op =
      | { kind: 'create'; at: number }
      | { kind: 'tag'; pick: number }
      | { kind: 'note'; pick: number }
      | { kind: 'delete'; pick: number };
    const op = fc.oneof(
      fc.record({ kind: fc.constant('create' as const), at: fc.nat(500) }),
      fc.record({ kind: fc.constant('tag' as const), pick: fc.nat() }),
      fc.record({ kind: fc.constant('note' as const), pick: fc.nat() }),
      fc.record({ kind: fc.constant('delete' as const), pick: fc.nat() }),
    );
    await fc.assert(
      fc.asyncProperty(fc.array(op, { minLength: 1, maxLength: 8 }), async (ops: Op[]) => {
        const snapshots: Highlight[][] = [await state()];
        for (const o of ops) {
          const current = await state();
          const target = current.length > 0 && o.kind !== 'create' ? current[o.pick % current.length] : null;
          if (o.kind === 'create') {
            const after = await addHighlight(client, { documentId, start: o.at, end: o.at + 7, tags: ['security'] });
            const before = current.find((h) => h.id === after.id) ?? null;
            history.record({ label: 'create', documentId, before, after });
          } else if (target && o.kind === 'tag') {
            const tags = target.tags.includes('drugs') ? ['security'] : [...target.tags, 'drugs'];
            history.record({
              label: 'tag',
              documentId,
              before: target,
              after: await client.updateHighlight({ documentId, highlightId: target.id, tags }),
            });
          } else if (target && o.kind === 'note') {
            history.record({
              label: 'note',
              documentId,
              before: target,
              after: await client.updateHighlight({ documentId, highlightId: target.id, note: `n${o.pick}` }),
            });
          } else if (target && o.kind === 'delete') {
            await client.deleteHighlight({ documentId, highlightId: target.id });
            history.record({ label: 'delete', documentId, before: target, after: null });
          } else continue;
          snapshots.push(await state());
        }
        const byId = (hs: Highlight[]) => [...hs].sort((a, b) => a.id.localeCompare(b.id));
        // Undo everything, checking each step, then redo everything.
        for (let i = snapshots.length - 1; i > 0; i--) {
          await history.undo();
          expect(byId(await state())).toEqual(byId(snapshots[i - 1]));
        }
        for (let i = 1; i < snapshots.length; i++) {
          await history.redo();
          expect(byId(await state())).toEqual(byId(snapshots[i]));
        }
        // Leave the store empty-handed for the next run.
        for (const h of await state()) await client.deleteHighlight({ documentId, highlightId: h.id });
      }),
      { numRuns: 25 },
    );
  });
});
