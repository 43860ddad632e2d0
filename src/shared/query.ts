import { findTag, someNames } from './codebook';
import { GlossaError } from './errors';
import type { Codebook } from './types';

// The Passages query language. A query selects highlights:
//
//   security                 highlights carrying the code (a name, any case; "two words" quoted)
//   A and B                  highlights carrying both codes
//   A not B                  highlights carrying A and not B (the same highlight)
//   A or B                   highlights carrying either
//   A overlapping B          highlights of A that share at least one character with a different
//                            highlight of B in the same document
//   ( … )                    grouping
//
// `and`, `not` and `overlapping` bind tighter than `or` and read left to right:
// `A overlapping B not C` is `(A overlapping B) not C`. Keywords are words in any case; a code
// whose name is a keyword is written in quotes.

export type QueryNode =
  { kind: 'code'; name: string } | { kind: 'and' | 'not' | 'or' | 'overlapping'; left: QueryNode; right: QueryNode };

type Token = { kind: 'word' | 'quoted' | '(' | ')'; text: string; at: number };

const KEYWORDS = new Set(['and', 'not', 'or', 'overlapping']);

function tokenize(query: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < query.length) {
    const c = query[i];
    if (/\s/.test(c)) {
      i++;
    } else if (c === '(' || c === ')') {
      tokens.push({ kind: c, text: c, at: i });
      i++;
    } else if (c === '"') {
      const end = query.indexOf('"', i + 1);
      if (end === -1) throw syntax(`the quote opened at character ${i + 1} is not closed`);
      const text = query.slice(i + 1, end);
      if (!text.trim()) throw syntax(`empty quotes at character ${i + 1}`);
      tokens.push({ kind: 'quoted', text, at: i });
      i = end + 1;
    } else {
      let end = i;
      while (end < query.length && !/[\s()"]/.test(query[end])) end++;
      tokens.push({ kind: 'word', text: query.slice(i, end), at: i });
      i = end;
    }
  }
  return tokens;
}

function syntax(message: string): GlossaError {
  return new GlossaError('INVALID_INPUT', `The query cannot be read: ${message}.`);
}

const isKeyword = (t: Token | undefined, word?: string) =>
  t?.kind === 'word' && KEYWORDS.has(t.text.toLowerCase()) && (word === undefined || t.text.toLowerCase() === word);

/** Reads a query into its tree; a clear INVALID_INPUT error says where it goes wrong. */
export function parseQuery(query: string): QueryNode {
  const tokens = tokenize(query);
  let pos = 0;
  const describe = (t: Token | undefined) => (t ? `"${t.text}" at character ${t.at + 1}` : 'the end');

  function operand(): QueryNode {
    const t = tokens[pos];
    if (!t || t.kind === ')' || isKeyword(t)) throw syntax(`a code name was expected before ${describe(t)}`);
    pos++;
    if (t.kind === '(') {
      const inner = or();
      if (tokens[pos]?.kind !== ')') throw syntax(`")" was expected before ${describe(tokens[pos])}`);
      pos++;
      return inner;
    }
    // Unquoted names of several words (`human rights and drugs`) are read as one name up to a keyword.
    let name = t.text;
    if (t.kind === 'word') {
      while (tokens[pos]?.kind === 'word' && !isKeyword(tokens[pos])) name += ` ${tokens[pos++].text}`;
    }
    return { kind: 'code', name };
  }

  function and(): QueryNode {
    let left = operand();
    while (isKeyword(tokens[pos]) && !isKeyword(tokens[pos], 'or')) {
      const kind = tokens[pos++].text.toLowerCase() as 'and' | 'not' | 'overlapping';
      left = { kind, left, right: operand() };
    }
    return left;
  }

  function or(): QueryNode {
    let left = and();
    while (isKeyword(tokens[pos], 'or')) {
      pos++;
      left = { kind: 'or', left, right: and() };
    }
    return left;
  }

  if (tokens.length === 0) throw syntax('it is empty');
  const tree = or();
  if (pos < tokens.length) throw syntax(`${describe(tokens[pos])} does not belong there`);
  return tree;
}

/** Why a query cannot be read ("cannot be read: …"), or null when it can. */
export function queryProblem(query: string): string | null {
  try {
    parseQuery(query);
    return null;
  } catch (error) {
    return (error as Error).message.replace(/^The query /, '').replace(/\.$/, '');
  }
}

/** The same tree with names replaced by code ids; an unknown name is an INVALID_INPUT error naming it. */
export function resolveQuery(node: QueryNode, codebook: Codebook): QueryNode {
  if (node.kind === 'code') {
    const tag = findTag(codebook, node.name);
    if (!tag) {
      throw new GlossaError(
        'INVALID_INPUT',
        `The query names "${node.name}", which is not a code; the codebook has: ${someNames(codebook.tags.map((t) => t.name))}.`,
      );
    }
    return { kind: 'code', name: tag.id };
  }
  return { kind: node.kind, left: resolveQuery(node.left, codebook), right: resolveQuery(node.right, codebook) };
}

/** What evaluation needs of a highlight. */
export interface Coded {
  id: string;
  start: number;
  end: number;
  tags: readonly string[];
}

/** Highlights of A each with the B highlights they overlap: what `overlapping` answers. */
export type Matches = Map<string, string[] | true>;

/**
 * The highlights of one document a resolved query selects, by id; for `overlapping`, each with
 * the ids of the highlights it shares characters with. Linear in highlights except `overlapping`:
 * the right side is sorted once by start, and for each left highlight a binary search cuts off
 * those starting after it ends; the rest are checked one by one. That is quadratic in the worst
 * case (every highlight of a document overlapping every other: 10,000 of them is 10^8 cheap
 * comparisons), linear when highlights are spread through the text, as codings are.
 */
export function evaluate(node: QueryNode, highlights: readonly Coded[]): Matches {
  switch (node.kind) {
    case 'code': {
      const out: Matches = new Map();
      for (const h of highlights) if (h.tags.includes(node.name)) out.set(h.id, true);
      return out;
    }
    case 'and':
    case 'not': {
      const left = evaluate(node.left, highlights);
      const right = evaluate(node.right, highlights);
      const out: Matches = new Map();
      for (const [id, v] of left) if (right.has(id) === (node.kind === 'and')) out.set(id, v);
      return out;
    }
    case 'or': {
      const out = evaluate(node.left, highlights);
      for (const [id, v] of evaluate(node.right, highlights)) if (!out.has(id)) out.set(id, v);
      return out;
    }
    case 'overlapping': {
      const byId = new Map(highlights.map((h) => [h.id, h]));
      const left = evaluate(node.left, highlights);
      const right = [...evaluate(node.right, highlights).keys()].map((id) => byId.get(id)!);
      right.sort((a, b) => a.start - b.start);
      const out: Matches = new Map();
      for (const id of left.keys()) {
        const h = byId.get(id)!;
        const found: string[] = [];
        // Right-side highlights starting before h ends; of those, the ones ending after h starts.
        let hi = right.length;
        let lo = 0;
        while (lo < hi) {
          const mid = (lo + hi) >> 1;
          if (right[mid].start < h.end) lo = mid + 1;
          else hi = mid;
        }
        for (let i = 0; i < lo; i++) if (right[i].end > h.start && right[i].id !== h.id) found.push(right[i].id);
        if (found.length > 0) out.set(id, found);
      }
      return out;
    }
  }
}

/** The query written back in its plain form (for saved queries and export titles). */
export function formatQuery(node: QueryNode, nameOf: (id: string) => string = (n) => n): string {
  if (node.kind === 'code') {
    const name = nameOf(node.name);
    return /^[^\s()"]+$/.test(name) && !KEYWORDS.has(name.toLowerCase()) ? name : `"${name.replace(/"/g, '')}"`;
  }
  const side = (n: QueryNode) =>
    n.kind === 'or' && node.kind !== 'or' ? `(${formatQuery(n, nameOf)})` : formatQuery(n, nameOf);
  const right = node.right.kind === 'code' ? formatQuery(node.right, nameOf) : `(${formatQuery(node.right, nameOf)})`;
  return `${side(node.left)} ${node.kind} ${right}`;
}
