import { paragraphRef } from './plain-text';
import { toBlockquote, escapeMarkdownLine, yamlString } from './markdown-escape';
import type { Codebook, DocumentView, Highlight } from './types';

export interface MarkdownOptions {
  /** Only these tag ids get a section; all tags when absent or empty. */
  tags?: string[];
  /** ISO time of the export: the one value that differs between two exports of the same library. */
  exported: string;
}

function byDocumentOrder(a: Highlight, b: Highlight): number {
  const pa = a.target.position;
  const pb = b.target.position;
  return pa.start - pb.start || pb.end - pa.end || a.id.localeCompare(b.id);
}

function highlightBlock(doc: DocumentView, h: Highlight): string {
  const { start, end } = h.target.position;
  const ref = h.orphan
    ? 'Orphaned: this passage is no longer found in the current text.'
    : paragraphRef(doc.paragraphs, start, end);
  const parts = [toBlockquote(h.target.quote.exact), ref];
  if (h.note.trim()) parts.push(h.note.trim());
  return parts.join('\n\n');
}

function tagSections(doc: DocumentView, codebook: Codebook, tagIds: Set<string> | null): string[] {
  const sorted = [...doc.highlights].sort(byDocumentOrder);
  const sections: string[] = [];
  for (const tag of codebook.tags) {
    if (tagIds && !tagIds.has(tag.id)) continue;
    const tagged = sorted.filter((h) => h.tags.includes(tag.id));
    if (tagged.length === 0) continue;
    sections.push([`## ${escapeMarkdownLine(tag.name)}`, ...tagged.map((h) => highlightBlock(doc, h))].join('\n\n'));
  }
  return sections;
}

function countExported(doc: DocumentView, codebook: Codebook, tagIds: Set<string> | null): number {
  const known = new Set(codebook.tags.map((t) => t.id));
  return doc.highlights.filter((h) => h.tags.some((t) => known.has(t) && (!tagIds || tagIds.has(t)))).length;
}

function frontMatter(fields: [string, string | number | undefined][]): string {
  const lines = fields
    .filter((field): field is [string, string | number] => field[1] !== undefined)
    .map(([key, value]) => `${key}: ${typeof value === 'number' ? value : yamlString(value)}`);
  return ['---', ...lines, '---'].join('\n');
}

/**
 * Tagged highlights as Markdown for Obsidian, Zettlr or a paper draft: YAML front matter, a `#`
 * heading per document, a `##` section per tag in codebook order, and each highlight as a
 * blockquote of exactly its text followed by its ¶ reference and note. Output depends only on the
 * documents, the codebook and the options, so the same library exports the same bytes.
 */
export function exportMarkdown(docs: DocumentView[], codebook: Codebook, options: MarkdownOptions): string {
  const tagIds = options.tags && options.tags.length > 0 ? new Set(options.tags) : null;
  const total = docs.reduce((n, doc) => n + countExported(doc, codebook, tagIds), 0);
  const docSection = (doc: DocumentView): string => {
    const sections = tagSections(doc, codebook, tagIds);
    const body = sections.length > 0 ? sections : ['_No tagged highlights._'];
    return [`# ${escapeMarkdownLine(doc.meta.title)}`, ...body].join('\n\n');
  };

  if (docs.length === 1) {
    const [doc] = docs;
    const head = frontMatter([
      ['title', doc.meta.title],
      ['date', doc.meta.date],
      ['source', doc.meta.source],
      ['exported', options.exported],
      ['highlights', total],
    ]);
    return `${head}\n\n${docSection(doc)}\n`;
  }
  const head = frontMatter([
    ['title', 'Glossa export'],
    ['exported', options.exported],
    ['documents', docs.length],
    ['highlights', total],
  ]);
  return `${[head, ...docs.map(docSection)].join('\n\n')}\n`;
}

/** A file name for an export: the document's title made safe for every file system. */
export function exportFileName(docs: DocumentView[], extension: string): string {
  const base = docs.length === 1 ? docs[0].meta.title : 'Glossa export';
  const safe = base
    .normalize('NFKD')
    .replace(/[^\p{L}\p{N} ._-]+/gu, '')
    .trim()
    .replace(/\s+/g, ' ')
    .slice(0, 80);
  return `${safe || 'Glossa export'}.${extension}`;
}
