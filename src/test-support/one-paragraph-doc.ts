import { describeRange } from '../shared/anchoring';
import type { DocumentView, Highlight } from '../shared/types';

/** A document of one paragraph with highlights on the given words (their first occurrence). */
export function oneParagraphDoc(
  id: string,
  text: string,
  highlights: (Partial<Omit<Highlight, 'target'>> & { id: string; exact: string; tags: string[] })[],
): DocumentView {
  return {
    revision: 0,
    meta: { id, title: id.toUpperCase(), titleSource: 'user', source: 's', added: 'x' },
    text,
    paragraphs: [{ n: 1, start: 0, end: text.length, kind: 'body' }],
    highlights: highlights.map(({ exact, ...h }) => {
      const start = text.indexOf(exact);
      if (start < 0) throw new Error(`not in the text: ${exact}`);
      return {
        documentId: id,
        note: '',
        created: '2026-01-01T00:00:00.000Z',
        updated: '2026-01-01T00:00:00.000Z',
        ...h,
        target: describeRange(text, start, start + exact.length),
      };
    }),
  };
}
