import type { ValidInput } from '../shared/api';
import { GlossaError } from '../shared/errors';
import {
  agreementFrom,
  codedBy,
  cohensKappa as cohensKappaOf,
  twoCoderAgreement,
  type Agreement,
  type Ranges,
} from '../shared/agreement';
import { CONSENSUS_CODER, disagreementsIn, type Disagreement } from '../shared/disagreements';
import type { AgreementReport, Highlight } from '../shared/types';
import { randomUUID } from 'node:crypto';
import { inParallel } from './in-parallel';
import { unitizedAlpha, type UnitizedAlpha } from '../shared/unitized-alpha';
import type { LibraryStore } from './store/library-store';

// Coders: the name this library stamps on the highlights it makes, and agreement between coders
// whose highlights are in the library (made here, or imported from their projects).

export function getCoder(lib: LibraryStore): Promise<{ coder: string | null }> {
  return lib.exclusive(() => ({ coder: lib.index.data.coder ?? null }));
}

export function setCoder(lib: LibraryStore, input: ValidInput<'setCoder'>): Promise<{ coder: string | null }> {
  return lib.write(async () => {
    if (input.coder) lib.index.data.coder = input.coder;
    else delete lib.index.data.coder;
    await lib.writeIndex();
    lib.emit({ library: true });
    return { coder: lib.index.data.coder ?? null };
  });
}

/**
 * Agreement per code and overall (see shared/agreement.ts for the definitions). Documents compared
 * are those asked for, else every document where one of the coders made a highlight: a text none
 * of them coded says nothing about their agreement, and would inflate percent agreement.
 */
export function agreement(lib: LibraryStore, input: ValidInput<'getAgreement'>): Promise<AgreementReport> {
  return lib.exclusive(async () => {
    const coders = [...new Set(input.coders)];
    if (coders.length < 2) throw new GlossaError('INVALID_INPUT', 'coders: name two different coders.');
    const codebook = lib.index.data.codebook.tags;
    const tags = input.tags?.length ? codebook.filter((t) => input.tags!.includes(t.id)) : codebook;
    for (const id of input.tags ?? []) {
      if (!codebook.some((t) => t.id === id)) throw new GlossaError('NOT_FOUND', `There is no code with id "${id}".`);
    }
    const ids = input.documentIds ?? lib.index.data.documents.filter((d) => !d.trashed).map((d) => d.id);
    for (const id of ids)
      if (!lib.entry(id)) throw new GlossaError('NOT_FOUND', `There is no document with id "${id}".`);
    // Per document: its length and, per code, each coder's ranges.
    const docs: { length: number; ranges: Map<string, Ranges[]> }[] = [];
    await inParallel([...ids], 16, async (id) => {
      const store = await lib.loadDocument(id);
      const state = store.state!;
      const ranges = new Map<string, { start: number; end: number }[][]>();
      let any = false;
      for (const h of state.highlights.values()) {
        const who = h.coder ? coders.indexOf(h.coder) : -1;
        if (who < 0 || h.orphan) continue;
        any = true;
        for (const t of h.tags) {
          let perCoder = ranges.get(t);
          if (!perCoder) ranges.set(t, (perCoder = coders.map(() => [])));
          perCoder[who].push(h.target.position);
        }
      }
      if (any || input.documentIds) docs.push({ length: state.text.length, ranges });
    });
    const none: Ranges[] = coders.map(() => []);
    const unitized: UnitizedAlpha[] = [];
    const forCode = (tagId: string): Agreement => {
      const byDoc = docs.map((d) => ({ length: d.length, byCoder: d.ranges.get(tagId) ?? none }));
      const u = unitizedAlpha(byDoc);
      unitized.push(u);
      const measures =
        coders.length === 2
          ? twoCoderAgreement(byDoc.map((d) => ({ length: d.length, first: d.byCoder[0], second: d.byCoder[1] })))
          : agreementFrom(codedBy(byDoc));
      return { ...measures, alphaU: u.alpha };
    };
    const codes = tags.map((t) => ({ tagId: t.id, name: t.name, ...forCode(t.id) }));
    // Overall: the codes' counts added up, each code a separate layer over the same characters.
    const pooled = codes.reduce<number[]>(
      (sum, c) => sum.map((n, k) => n + (c.codedBy[k] ?? 0)),
      new Array<number>(coders.length + 1).fill(0),
    );
    // αᵤ over all codes: the codes' disagreements added up (Krippendorff 1995), those with units only.
    const used = unitized.filter((u) => u.alpha !== null);
    const expected = used.reduce((n, u) => n + u.expected, 0);
    const alphaU = expected > 0 ? 1 - used.reduce((n, u) => n + u.observed, 0) / expected : null;
    let overall: Agreement = { ...agreementFrom(pooled), alphaU };
    if (coders.length === 2) {
      const table = codes.reduce(
        (s, c) => ({
          both: s.both + (c.table?.both ?? 0),
          firstOnly: s.firstOnly + (c.table?.firstOnly ?? 0),
          secondOnly: s.secondOnly + (c.table?.secondOnly ?? 0),
          neither: s.neither + (c.table?.neither ?? 0),
        }),
        { both: 0, firstOnly: 0, secondOnly: 0, neither: 0 },
      );
      overall = { ...overall, table, kappa: cohensKappaOf(table) };
    }
    return { coders, documents: docs.length, codes, overall };
  });
}

/** Everyone who made highlights in this library (documents not in the trash), with how many. */
export function listCoders(lib: LibraryStore): Promise<{ coders: { name: string; highlights: number }[] }> {
  return lib.exclusive(async () => {
    const counts = new Map<string, number>();
    const ids = lib.index.data.documents.filter((d) => !d.trashed).map((d) => d.id);
    await inParallel(ids, 16, async (id) => {
      for (const h of (await lib.loadDocument(id)).state!.highlights.values()) {
        if (h.coder) counts.set(h.coder, (counts.get(h.coder) ?? 0) + 1);
      }
    });
    const coders = [...counts].map(([name, highlights]) => ({ name, highlights }));
    return { coders: coders.sort((a, b) => a.name.localeCompare(b.name)) };
  });
}

/** The passages where the coders differ, document by document in library order. */
export function disagreements(lib: LibraryStore, input: ValidInput<'getDisagreements'>): Promise<Disagreement[]> {
  return lib.exclusive(async () => {
    const ids = input.documentIds ?? lib.index.data.documents.filter((d) => !d.trashed).map((d) => d.id);
    for (const id of ids)
      if (!lib.entry(id)) throw new GlossaError('NOT_FOUND', `There is no document with id "${id}".`);
    const out: Disagreement[] = [];
    for (const id of ids) {
      const state = (await lib.loadDocument(id)).state!;
      out.push(...disagreementsIn(id, state.highlights.values(), input.coders, input.tags));
    }
    return out;
  });
}

/**
 * Settles a passage: the highlights chosen (one coder's version; none, to leave it uncoded) are
 * copied into the consensus layer, replacing what the consensus held in that passage before. One
 * logged change; the coders' own highlights are untouched.
 */
export function adjudicate(lib: LibraryStore, input: ValidInput<'adjudicate'>): Promise<Highlight[]> {
  return lib.write(async () => {
    const store = await lib.loadDocument(input.documentId);
    const state = store.state!;
    const chosen = input.highlightIds.map((id) => {
      const h = state.highlights.get(id);
      if (!h) throw new GlossaError('NOT_FOUND', `There is no highlight "${id}" in this document.`);
      if (h.orphan) throw new GlossaError('INVALID_INPUT', 'An orphaned highlight cannot be adopted: it has no place.');
      return h;
    });
    const del = [...state.highlights.values()]
      .filter(
        (h) =>
          h.coder === CONSENSUS_CODER && h.target.position.start < input.end && h.target.position.end > input.start,
      )
      .map((h) => h.id);
    const time = lib.now().toISOString();
    const put: Highlight[] = chosen.map((h) => {
      const { approximate: _approximate, ...rest } = h;
      return { ...structuredClone(rest), id: randomUUID(), coder: CONSENSUS_CODER, created: time, updated: time };
    });
    if (put.length > 0 || del.length > 0) await lib.commit(store, { put, del });
    return structuredClone(put);
  });
}
