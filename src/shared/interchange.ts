import type { TextQuoteSelector } from './types';

/**
 * A highlight as another tool's file describes it, before Glossa has found it in a text: tags by
 * name, the quote and/or position (UTF-16, already converted), and the note. Every importer
 * (W3C Web Annotation, REFI-QDA) reduces its format to this, and one service anchors and stores it.
 */
export interface IncomingHighlight {
  id: string;
  tagNames: string[];
  note: string;
  created?: string;
  updated?: string;
  quote?: Pick<TextQuoteSelector, 'exact'> & Partial<Pick<TextQuoteSelector, 'prefix' | 'suffix'>>;
  position?: { start: number; end: number };
  /** Who made it, when the file says (a REFI-QDA project's creatingUser). */
  coder?: string;
}

function fnv1a(text: string, seed: number): string {
  let hash = seed >>> 0;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash.toString(16).padStart(8, '0');
}

/**
 * A Glossa id for a foreign identifier (a URL, a GUID in braces): kept when it already is a valid
 * id, else a stable 128-bit hash of it, so importing the same file twice finds the same ids.
 */
export function idFor(foreign: string): string {
  if (/^[A-Za-z0-9_-]{1,100}$/.test(foreign)) return foreign;
  return `x${[0x811c9dc5, 0x01234567, 0x89abcdef, 0x3c6ef372].map((seed) => fnv1a(foreign, seed)).join('')}`;
}
