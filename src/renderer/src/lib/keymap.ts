// Every key Glossa answers, in one table: the App's key handler dispatches from it and the `?`
// sheet lists it, so the two can never disagree. Keys handled by the text itself (caret, Enter)
// are listed here too, marked `inText`, and dispatched there.

/** What the keys do; the App supplies these. A false return means "not now" (the key passes on). */
export interface KeyActions {
  importFiles(): void;
  undoTrash(): void;
  undo(): void;
  redo(): void;
  find(): void;
  tag(index: number): boolean;
  /** A code's own shortcut letter; false when no code has it. */
  tagByKey(key: string): boolean;
  inVivo(): boolean;
  deleteSelected(): boolean;
  step(direction: 1 | -1): void;
  note(): void;
  shortcuts(): void;
  editParagraph(): boolean;
  escape(): boolean;
}

/** Where a key is pressed: the reader, the library, or a coding view (codebook, passages, analysis, memos). */
export type Screen = 'reader' | 'library' | 'coding';

/** The parts of a key event a binding looks at (a KeyboardEvent has them all). */
export interface KeyPress {
  key: string;
  ctrlKey: boolean;
  metaKey: boolean;
  shiftKey: boolean;
  altKey: boolean;
}

export interface Binding {
  /** As the sheet shows them. */
  keys: string;
  description: string;
  screens: Screen[];
  /** Handled by the article's own key handler (caret, selection), listed for the sheet only. */
  inText?: boolean;
  matches?: (press: KeyPress) => boolean;
  run?: (actions: KeyActions, press: KeyPress) => boolean | void;
}

const command = (p: KeyPress) => p.ctrlKey || p.metaKey;
const plain = (p: KeyPress) => !p.ctrlKey && !p.metaKey;
const letter = (k: string) => (p: KeyPress) => plain(p) && p.key === k;

export const KEYMAP: Binding[] = [
  {
    keys: 'select text',
    description: 'Mouse, or click then Shift+arrows (Ctrl+Shift+arrows: by words)',
    screens: ['reader'],
    inText: true,
  },
  {
    keys: '1 … 9',
    description: 'Tag the selected passage with that tag; on a selected highlight, add or remove it',
    screens: ['reader'],
    matches: (p) => plain(p) && /^[1-9]$/.test(p.key),
    run: (a, p) => a.tag(Number(p.key) - 1),
  },
  {
    keys: 'j / k',
    description: 'Next / previous highlight',
    screens: ['reader'],
    matches: (p) => plain(p) && (p.key === 'j' || p.key === 'k'),
    run: (a, p) => a.step(p.key === 'j' ? 1 : -1),
  },
  {
    keys: 'Enter',
    description: 'Select the highlight at the caret (again: the next one where highlights overlap)',
    screens: ['reader'],
    inText: true,
  },
  {
    keys: 'n',
    description: 'Write a note on the selected highlight (saved as you type; Esc returns to the text)',
    screens: ['reader'],
    matches: letter('n'),
    run: (a) => a.note(),
  },
  {
    keys: 'Delete',
    description: 'Delete the selected highlight',
    screens: ['reader'],
    matches: (p) => plain(p) && (p.key === 'Delete' || p.key === 'Backspace'),
    run: (a) => a.deleteSelected(),
  },
  {
    keys: 'e',
    description: 'Edit the text of the paragraph at the caret',
    screens: ['reader'],
    matches: letter('e'),
    run: (a) => a.editParagraph(),
  },
  {
    keys: 'Ctrl+Z',
    description: 'Undo (highlights and codebook changes)',
    screens: ['reader', 'coding'],
    matches: (p) => command(p) && p.key.toLowerCase() === 'z' && !p.shiftKey,
    run: (a) => a.undo(),
  },
  {
    keys: 'Ctrl+Z in the library',
    description: 'Put back the document last moved to the trash',
    screens: ['library'],
    matches: (p) => command(p) && p.key.toLowerCase() === 'z' && !p.shiftKey,
    run: (a) => a.undoTrash(),
  },
  {
    keys: 'Ctrl+Shift+Z / Ctrl+Y',
    description: 'Redo',
    screens: ['reader', 'coding'],
    matches: (p) => command(p) && ((p.key.toLowerCase() === 'z' && p.shiftKey) || p.key.toLowerCase() === 'y'),
    run: (a) => a.redo(),
  },
  {
    keys: 'Ctrl+F',
    description: 'Find in document (Enter: next match, Shift+Enter: previous)',
    screens: ['reader'],
    matches: (p) => command(p) && p.key.toLowerCase() === 'f',
    run: (a) => a.find(),
  },
  {
    keys: 'Ctrl+O',
    description: 'Import files into the library (or drop them on the window)',
    screens: ['reader', 'library', 'coding'],
    matches: (p) => command(p) && p.key.toLowerCase() === 'o',
    run: (a) => a.importFiles(),
  },
  {
    keys: 'Escape',
    description: 'Clear the selection, close find or this sheet',
    screens: ['reader'],
    matches: (p) => p.key === 'Escape',
    run: (a) => a.escape(),
  },
  {
    keys: 'i',
    description: 'In-vivo code: a new code named by the selected words, applied to them',
    screens: ['reader'],
    matches: letter('i'),
    run: (a) => a.inVivo(),
  },
  { keys: '?', description: 'Show this sheet', screens: ['reader'], matches: letter('?'), run: (a) => a.shortcuts() },
  {
    keys: 'a letter',
    description: 'Apply the code given that letter as its shortcut (Codebook)',
    screens: ['reader'],
    matches: (p) => plain(p) && !p.shiftKey && /^[a-z]$/i.test(p.key),
    run: (a, p) => a.tagByKey(p.key),
  },
];

/** Runs the binding for a key press on a screen; true when one acted (the caller then prevents the browser's default). */
export function dispatch(press: KeyPress, screen: Screen, actions: KeyActions, keymap = KEYMAP): boolean {
  if (press.altKey) return false;
  for (const binding of keymap) {
    if (!binding.run || !binding.screens.includes(screen) || !binding.matches?.(press)) continue;
    return binding.run(actions, press) !== false;
  }
  return false;
}
