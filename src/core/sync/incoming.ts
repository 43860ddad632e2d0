import { z } from 'zod';
import { MAX_TAGS_IN_CODEBOOK, MAX_TEXT_CHARS } from '../../shared/limits';
import { docIdOf, type ProjectDoc } from '../../shared/project-docs';
import { highlightSchema, idSchema, tagSchema } from '../../shared/schemas';
import type { Paragraph } from '../../shared/types';
import { metaSchema, paragraphSchema } from '../stored-schema';

/**
 * What a server may send, checked with the schemas the library's own files are read with: a
 * document from a careless or hostile server is refused by name and never reaches the library.
 */
const incoming = z.discriminatedUnion('type', [
  z.object({ type: z.literal('code'), tag: tagSchema }),
  z.object({ type: z.literal('order'), tags: z.array(idSchema).max(MAX_TAGS_IN_CODEBOOK) }),
  z.object({ type: z.literal('settings'), blind: z.boolean() }),
  z.object({
    type: z.literal('document'),
    meta: metaSchema,
    text: z.string().max(MAX_TEXT_CHARS),
    paragraphs: z.array(paragraphSchema).max(MAX_TEXT_CHARS),
  }),
  z.object({ type: z.literal('highlight'), highlight: highlightSchema }),
]);

/** A CouchDB document read back as a project document, or why it cannot be one. */
export function parseProjectDoc(id: string, raw: unknown): { doc: ProjectDoc } | { problem: string } {
  const parsed = incoming.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return { problem: `${issue.path.join('.') || 'the document'} ${issue.message}` };
  }
  const doc = parsed.data as ProjectDoc;
  if (docIdOf(doc) !== id) return { problem: `its _id does not match what it holds (${docIdOf(doc)})` };
  if (doc.type === 'document' && !paragraphsFit(doc.paragraphs, doc.text.length)) {
    return { problem: 'paragraphs lie outside the text' };
  }
  return { doc };
}

function paragraphsFit(paragraphs: Paragraph[], length: number): boolean {
  return paragraphs.every((p) => p.start <= p.end && p.end <= length);
}
