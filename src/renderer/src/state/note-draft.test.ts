import { describe, expect, it } from 'vitest';
import type { Highlight } from '../../../shared/types';
import { NoteDraft, type DraftStore } from './note-draft.svelte';

/** The draft store's contract (a Storage), kept in memory: Node has no localStorage. */
class MemoryStore implements DraftStore {
  readonly items = new Map<string, string>();
  getItem(key: string): string | null {
    return this.items.get(key) ?? null;
  }
  setItem(key: string, value: string): void {
    this.items.set(key, value);
  }
  removeItem(key: string): void {
    this.items.delete(key);
  }
}

const highlight = (id: string, note = ''): Highlight => ({
  id,
  documentId: 'd',
  tags: ['security'],
  note,
  created: '2026-01-01T00:00:00.000Z',
  updated: '2026-01-01T00:00:00.000Z',
  target: {
    position: { type: 'TextPositionSelector', start: 0, end: 1 },
    quote: { type: 'TextQuoteSelector', exact: 'a', prefix: '', suffix: '' },
  },
});

function setup(result = true) {
  const saves: { id: string; text: string; key: string }[] = [];
  const store = new MemoryStore();
  const draft = new NoteDraft(
    async (h, text, key) => {
      saves.push({ id: h.id, text, key });
      return result;
    },
    store,
    10,
  );
  return { draft, saves, store };
}

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('NoteDraft', () => {
  it('keeps every key press at once and saves once typing stops', async () => {
    const { draft, saves, store } = setup();
    draft.attach(highlight('a'));
    draft.input('F');
    draft.input('Fi');
    draft.input('First');
    expect(store.getItem('glossa-note-draft:d:a')).toBe('First');
    expect(saves).toEqual([]);
    await pause(30);
    expect(saves.map((s) => s.text)).toEqual(['First']);
    expect(store.items.size).toBe(0);
    expect(draft.state).toBe('Saved');
  });

  it('saves what was typed when another highlight is selected, and one session is one undo step', async () => {
    const { draft, saves } = setup();
    draft.attach(highlight('a'));
    draft.begin();
    draft.input('one');
    await draft.flush();
    draft.attach(highlight('a', 'one'));
    draft.input('one two');
    draft.attach(highlight('b', 'b note'));
    await pause(0);
    expect(saves.map((s) => [s.id, s.text])).toEqual([
      ['a', 'one'],
      ['a', 'one two'],
    ]);
    expect(saves[0].key).toBe(saves[1].key);
    expect(draft.text).toBe('b note');
  });

  it('shows and saves a draft left unsaved by a reload', async () => {
    const { draft, saves, store } = setup();
    store.setItem('glossa-note-draft:d:a', 'typed before the reload');
    draft.attach(highlight('a', 'old'));
    expect(draft.text).toBe('typed before the reload');
    expect(draft.state).toMatch(/restored/);
    await pause(30);
    expect(saves.map((s) => s.text)).toEqual(['typed before the reload']);
  });

  it('keeps the draft when a save fails, and says so', async () => {
    const { draft, store } = setup(false);
    draft.attach(highlight('a'));
    draft.input('precious');
    await draft.flush();
    expect(store.getItem('glossa-note-draft:d:a')).toBe('precious');
    expect(draft.state).toMatch(/Not saved/);
  });

  it('does nothing when nothing changed', async () => {
    const { draft, saves } = setup();
    draft.attach(highlight('a', 'same'));
    draft.input('same');
    await draft.flush();
    expect(saves).toEqual([]);
  });
});
