import { describe, expect, it } from 'vitest';
import { dispatch, KEYMAP, type KeyActions, type KeyPress } from './keymap';

function recorder(answers: Partial<Record<keyof KeyActions, boolean>> = {}) {
  const calls: string[] = [];
  const actions = new Proxy({} as KeyActions, {
    get: (_t, name: string) => (arg?: unknown) => {
      calls.push(arg === undefined ? name : `${name}(${String(arg)})`);
      return answers[name as keyof KeyActions] ?? true;
    },
  });
  return { calls, actions };
}

const press = (key: string, mods: Partial<KeyPress> = {}): KeyPress => ({
  key,
  ctrlKey: false,
  metaKey: false,
  shiftKey: false,
  altKey: false,
  ...mods,
});

describe('the keymap', () => {
  it('dispatches each key of the sheet to its action on the reader', () => {
    const { calls, actions } = recorder();
    for (const p of [
      press('2'),
      press('j'),
      press('k'),
      press('n'),
      press('Delete'),
      press('e'),
      press('z', { ctrlKey: true }),
      press('Z', { ctrlKey: true, shiftKey: true }),
      press('y', { metaKey: true }),
      press('f', { ctrlKey: true }),
      press('o', { ctrlKey: true }),
      press('Escape'),
      press('?'),
      press('i'),
      press('x'),
    ])
      expect(dispatch(p, 'reader', actions)).toBe(true);
    expect(calls).toEqual([
      'tag(1)',
      'step(1)',
      'step(-1)',
      'note',
      'deleteSelected',
      'editParagraph',
      'undo',
      'redo',
      'redo',
      'find',
      'importFiles',
      'escape',
      'shortcuts',
      'inVivo',
      'tagByKey(x)',
    ]);
  });

  it('on the library screen: Ctrl+Z undoes the trash, Ctrl+O imports, single keys do nothing', () => {
    const { calls, actions } = recorder();
    expect(dispatch(press('z', { ctrlKey: true }), 'library', actions)).toBe(true);
    expect(dispatch(press('o', { metaKey: true }), 'library', actions)).toBe(true);
    expect(dispatch(press('j'), 'library', actions)).toBe(false);
    expect(dispatch(press('1'), 'library', actions)).toBe(false);
    expect(calls).toEqual(['undoTrash', 'importFiles']);
  });

  it('in the coding views: Ctrl+Z and Ctrl+Shift+Z undo and redo (codebook changes), letters do nothing', () => {
    const { calls, actions } = recorder();
    expect(dispatch(press('z', { ctrlKey: true }), 'coding', actions)).toBe(true);
    expect(dispatch(press('z', { ctrlKey: true, shiftKey: true }), 'coding', actions)).toBe(true);
    expect(dispatch(press('x'), 'coding', actions)).toBe(false);
    expect(dispatch(press('1'), 'coding', actions)).toBe(false);
    expect(calls).toEqual(['undo', 'redo']);
  });

  it('lets a key pass when its action declines, or with Alt, or unknown', () => {
    const { actions } = recorder({ tag: false, deleteSelected: false, tagByKey: false });
    expect(dispatch(press('9'), 'reader', actions)).toBe(false);
    expect(dispatch(press('Backspace'), 'reader', actions)).toBe(false);
    expect(dispatch(press('j', { altKey: true }), 'reader', actions)).toBe(false);
    expect(dispatch(press('x'), 'reader', actions)).toBe(false);
    expect(dispatch(press('j', { ctrlKey: true }), 'reader', actions)).toBe(false);
  });

  it('lists every binding once, each with keys and a description', () => {
    const keys = KEYMAP.map((b) => b.keys);
    expect(new Set(keys).size).toBe(keys.length);
    for (const b of KEYMAP) {
      expect(b.description).toMatch(/\S/);
      expect(Boolean(b.inText) || Boolean(b.run && b.matches)).toBe(true);
    }
  });
});
