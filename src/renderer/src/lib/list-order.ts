import type { Highlight, Tag } from '../../../shared/types';

/** How the sidebar lists a document's highlights. Keys (j/k) always go in reading order. */
export type ListOrder = 'position' | 'code' | 'newest';

export const LIST_ORDERS: readonly { value: ListOrder; label: string }[] = [
  { value: 'position', label: 'Position in the text' },
  { value: 'code', label: 'Code' },
  { value: 'newest', label: 'Newest first' },
];

/**
 * The list in the chosen order, from a list already in reading order. By code: grouped under
 * the first of their codes in codebook order (a highlight is listed once), then in reading order.
 * Newest: by when it was last changed, ties in reading order. Sorts are stable, so reading order
 * settles every tie.
 */
export function ordered(list: readonly Highlight[], order: ListOrder, codebook: readonly Tag[]): Highlight[] {
  if (order === 'position') return [...list];
  if (order === 'newest') return [...list].sort((a, b) => (a.updated < b.updated ? 1 : a.updated > b.updated ? -1 : 0));
  const rank = new Map(codebook.map((t, i) => [t.id, i]));
  const first = new Map(list.map((h) => [h, Math.min(...h.tags.map((t) => rank.get(t) ?? codebook.length))]));
  return [...list].sort((a, b) => first.get(a)! - first.get(b)!);
}

export function isListOrder(value: unknown): value is ListOrder {
  return LIST_ORDERS.some((o) => o.value === value);
}
