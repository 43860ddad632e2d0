import type { Codebook, Tag } from './types';

// The codebook as a tree, in pure functions: names matched the way people type them, the
// hierarchy checked for cycles, and what a merge or a deletion does to one highlight's tags. The
// store (core/codebook.ts) and the renderer both use these, so the two never disagree on what a
// name means or what a merge leaves behind.

/** Names compare as people read them: case and Unicode form do not make two codes different. */
export function nameKey(name: string): string {
  return name.normalize('NFC').trim().toLocaleLowerCase('en');
}

/** The code a person means by a name or an id (names first, any case); undefined when none. */
export function findTag(codebook: Codebook, nameOrId: string): Tag | undefined {
  const key = nameKey(nameOrId);
  return codebook.tags.find((t) => nameKey(t.name) === key) ?? codebook.tags.find((t) => t.id === nameOrId);
}

/** Names for an error message: a long codebook is summed up, not listed whole. */
export function someNames(names: string[], shown = 12): string {
  if (names.length <= shown) return names.join(', ');
  return `${names.slice(0, shown).join(', ')} and ${names.length - shown} more`;
}

/** The parent's id, or null for a code at the top level (or whose parent is gone). */
export function parentOf(codebook: Codebook, tag: Tag): string | null {
  const parent = tag.parent ?? null;
  return parent !== null && codebook.tags.some((t) => t.id === parent) ? parent : null;
}

/** The ids of a code's ancestors, nearest first; stops at a cycle rather than looping. */
export function ancestors(codebook: Codebook, tagId: string): string[] {
  const byId = new Map(codebook.tags.map((t) => [t.id, t]));
  const seen: string[] = [];
  let current = byId.get(tagId)?.parent ?? null;
  while (current !== null && byId.has(current) && !seen.includes(current) && current !== tagId) {
    seen.push(current);
    current = byId.get(current)?.parent ?? null;
  }
  return seen;
}

/** True when putting `tagId` under `parentId` would make a code its own ancestor. */
export function wouldCycle(codebook: Codebook, tagId: string, parentId: string | null): boolean {
  if (parentId === null) return false;
  return parentId === tagId || ancestors(codebook, parentId).includes(tagId);
}

/** A code with its depth, in the order a tree shows them: each parent followed by its children. */
export interface TreeRow {
  tag: Tag;
  depth: number;
  /** The path of names from the top, for screen readers and exports ("security / border"). */
  path: string[];
}

/** The codebook as an indented list; codes keep their list order among siblings. */
export function treeRows(codebook: Codebook): TreeRow[] {
  const children = new Map<string | null, Tag[]>();
  for (const tag of codebook.tags) {
    const parent = parentOf(codebook, tag);
    const list = children.get(parent) ?? [];
    list.push(tag);
    children.set(parent, list);
  }
  const rows: TreeRow[] = [];
  const visited = new Set<string>();
  const walk = (parent: string | null, depth: number, path: string[]) => {
    for (const tag of children.get(parent) ?? []) {
      if (visited.has(tag.id)) continue;
      visited.add(tag.id);
      const here = [...path, tag.name];
      rows.push({ tag, depth, path: here });
      walk(tag.id, depth + 1, here);
    }
  };
  walk(null, 0, []);
  // A cycle written by hand into library.json leaves codes no root reaches: show them at the top.
  for (const tag of codebook.tags) if (!visited.has(tag.id)) rows.push({ tag, depth: 0, path: [tag.name] });
  return rows;
}

/** An id for a new code: its name in ASCII letters when free, made unique otherwise. */
export function idForName(name: string, taken: ReadonlySet<string>, random: () => string): string {
  const slug =
    name
      .normalize('NFKD')
      .replace(/[\u0300-\u036f]/g, '')
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 40) || 'code';
  if (!taken.has(slug)) return slug;
  for (;;) {
    const id = `${slug}-${random()}`;
    if (!taken.has(id)) return id;
  }
}

/** A highlight's tags after merging `from` into `into`: `into` in `from`'s place, never twice. */
export function mergedTags(tags: readonly string[], from: string, into: string): string[] {
  return [...new Set(tags.map((t) => (t === from ? into : t)))];
}

/**
 * Twelve colours that stay apart from each other and legible as a tint on white and on the dark
 * theme's background (checked in codebook.test.ts: every pair at least CLOSE_COLOURS apart).
 */
export const PALETTE: readonly string[] = [
  '#e0524a',
  '#3f7fd0',
  '#3a9d5d',
  '#d98a1c',
  '#8e5cc7',
  '#1a9ba1',
  '#c2478f',
  '#7c8b1f',
  '#a0522d',
  '#ff7f50',
  '#d4b106',
  '#6b7a8f',
];

function srgbToLab(hex: string): [number, number, number] {
  const channel = (i: number) => {
    const c = parseInt(hex.slice(1 + 2 * i, 3 + 2 * i), 16) / 255;
    return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  };
  const [r, g, b] = [channel(0), channel(1), channel(2)];
  const x = (0.4124 * r + 0.3576 * g + 0.1805 * b) / 0.95047;
  const y = 0.2126 * r + 0.7152 * g + 0.0722 * b;
  const z = (0.0193 * r + 0.1192 * g + 0.9505 * b) / 1.08883;
  const f = (t: number) => (t > 216 / 24389 ? Math.cbrt(t) : (24389 / 27 / 116) * t + 16 / 116);
  return [116 * f(y) - 16, 500 * (f(x) - f(y)), 200 * (f(y) - f(z))];
}

/** Perceptual distance (CIE76 ΔE on Lab): about 2 is the least most people notice side by side. */
export function colourDistance(a: string, b: string): number {
  const [l1, a1, b1] = srgbToLab(a);
  const [l2, a2, b2] = srgbToLab(b);
  return Math.hypot(l1 - l2, a1 - a2, b1 - b2);
}

/**
 * Below this ΔE two codes are hard to tell apart as translucent highlight tints (the reader
 * draws them at a fraction of their strength, which shrinks differences); a warning, not a rule.
 */
export const CLOSE_COLOURS = 20;

/** The codes whose colour is hard to tell from this one's. */
export function similarColours(codebook: Codebook, color: string, exceptId?: string): Tag[] {
  return codebook.tags.filter((t) => t.id !== exceptId && colourDistance(t.color, color) < CLOSE_COLOURS);
}

/** The first palette colour not too close to any code's, for a new code; else the least used. */
export function nextColour(codebook: Codebook): string {
  const free = PALETTE.find((c) => similarColours(codebook, c).length === 0);
  if (free) return free;
  const uses = PALETTE.map((c) => codebook.tags.filter((t) => t.color === c).length);
  return PALETTE[uses.indexOf(Math.min(...uses))];
}
