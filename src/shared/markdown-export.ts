import { firstEndingAfter, paragraphRef } from './plain-text';
import { toBlockquote, escapeMarkdownLine, yamlString } from './markdown-escape';
import { deepLink } from './deep-link';
import { treeRows } from './codebook';
import type { Codebook, DocumentView, Highlight, Memo, Memos } from './types';

export const MARKDOWN_LAYOUTS = ['tag', 'document', 'reading'] as const;
export type MarkdownLayout = (typeof MARKDOWN_LAYOUTS)[number];

/** How each layout is named in the export dialog. */
export const MARKDOWN_LAYOUT_LABELS: Record<MarkdownLayout, string> = {
  tag: 'Grouped by tag',
  document: 'Grouped by document',
  reading: 'Reading order',
};

/**
 * The Markdown export's yes/no options, declared once: the contract's schema, the CLI's flags
 * (`--<flag>`, or `--no-<flag>` for those on by default) and the export dialog's checkboxes are all
 * made from this list.
 */
export const MARKDOWN_FLAGS = [
  { key: 'notes', byDefault: true, flag: 'notes', label: 'Notes', help: 'notes under their quotes' },
  {
    key: 'memos',
    byDefault: true,
    flag: 'memos',
    label: 'Memos',
    help: 'memos (the project journal, and those of each document and code)',
  },
  {
    key: 'paragraphRefs',
    byDefault: true,
    flag: 'refs',
    label: '¶ references',
    help: '¶ references (and p. N for PDFs) after each quote',
  },
  {
    key: 'citation',
    byDefault: false,
    flag: 'citation',
    label: 'Citation line per document',
    help: 'a citation line per document',
  },
  {
    key: 'obsidianTags',
    byDefault: false,
    flag: 'obsidian-tags',
    label: 'Obsidian #tags',
    help: 'tags as Obsidian #tags',
  },
  {
    key: 'blockIds',
    byDefault: false,
    flag: 'block-ids',
    label: 'Block ids (^glossa-…)',
    help: 'a stable ^glossa-<id> block id per quote, so links to it survive re-exports',
  },
  {
    key: 'deepLinks',
    byDefault: false,
    flag: 'deep-links',
    label: 'Links back to Glossa',
    help: 'a glossa:// link per quote that opens it in Glossa',
  },
  {
    key: 'coders',
    byDefault: false,
    flag: 'coders',
    label: 'Coder names',
    help: "the coder's name after each quote (team projects)",
  },
] as const;

export type MarkdownFlag = (typeof MARKDOWN_FLAGS)[number]['key'];

/**
 * What a researcher can choose about a Markdown export. `layout`: `tag` (default) is a section per
 * tag with quotes from every document under it; `document` a section per document, a sub-section
 * per tag in it; `reading` a section per document, its quotes in reading order with their tags.
 */
export type MarkdownChoices = { layout?: MarkdownLayout } & { [K in MarkdownFlag]?: boolean };

export interface MarkdownOptions extends MarkdownChoices {
  /** Only highlights with these tag ids (and only these tags' sections); all when absent or empty. */
  tags?: string[];
  /** ISO time of the export: the one value that differs between two exports of the same library. */
  exported: string;
  /** The library's memos, written where they belong when the `memos` choice is on. */
  memoTexts?: Memos;
}

function byDocumentOrder(a: Highlight, b: Highlight): number {
  const pa = a.target.position;
  const pb = b.target.position;
  return pa.start - pb.start || pb.end - pa.end || a.id.localeCompare(b.id);
}

/** An Obsidian tag for a tag name: Obsidian tags cannot hold spaces or most punctuation. */
function obsidianTag(name: string): string {
  const slug = name
    .trim()
    .replace(/\s+/g, '-')
    .replace(/[^\p{L}\p{N}_/-]/gu, '');
  return `#${/^\d+$/.test(slug) ? `tag-${slug}` : slug || 'tag'}`;
}

interface Context {
  memos: Memos | null;
  /** One document: code memos go under its code headings (else under the tag sections, or at the end). */
  single: boolean;
  codebook: Codebook;
  names: Map<string, string>;
  tagIds: Set<string> | null;
  options: Required<MarkdownChoices>;
  /** Blocks without tags, by highlight: grouped by code, a highlight with three codes is written three times. */
  blocks: Map<Highlight, string>;
}

function reference(doc: DocumentView, h: Highlight): string {
  if (h.orphan) return 'Orphaned: this passage is no longer found in the current text.';
  const { start, end } = h.target.position;
  const ref = paragraphRef(doc.paragraphs, start, end);
  // A binary search: a scan per highlight made exporting 10,000 on 2,500 paragraphs quadratic.
  const page = doc.paragraphs[firstEndingAfter(doc.paragraphs, start)]?.page;
  const where = page !== undefined ? `${ref}, p. ${page}` : ref;
  // Not yet reviewed after the text changed: the reader of the file is told, with the words it was made on.
  return h.approximate ? `${where} (found approximately; made on “${escapeMarkdownLine(h.approximate.was)}”)` : where;
}

function highlightBlock(doc: DocumentView, h: Highlight, ctx: Context, withTags: boolean): string {
  if (withTags) return writeBlock(doc, h, ctx, true);
  let block = ctx.blocks.get(h);
  if (block === undefined) ctx.blocks.set(h, (block = writeBlock(doc, h, ctx, false)));
  return block;
}

function writeBlock(doc: DocumentView, h: Highlight, ctx: Context, withTags: boolean): string {
  const { options } = ctx;
  const parts = [toBlockquote(h.target.quote.exact)];
  if (options.blockIds) parts.push(`^glossa-${h.id.replace(/[^A-Za-z0-9-]/g, '-')}`);
  const meta: string[] = [];
  if (options.paragraphRefs) meta.push(reference(doc, h));
  // Codebook order, so the same tags always read the same way.
  const tags = ctx.codebook.tags.map((t) => t.id).filter((t) => h.tags.includes(t));
  if (options.obsidianTags) meta.push(tags.map((t) => obsidianTag(ctx.names.get(t) as string)).join(' '));
  else if (withTags) meta.push(tags.map((t) => escapeMarkdownLine(ctx.names.get(t) as string)).join(', '));
  if (options.coders && h.coder) meta.push(`coded by ${escapeMarkdownLine(h.coder)}`);
  if (options.deepLinks) meta.push(`[Open in Glossa](${deepLink(doc.meta.id, h.id)})`);
  // A compact attribution right under the quote, as a quotation in a paper has.
  const line = meta.filter(Boolean).join(' · ');
  if (line) parts.push(`— ${line}`);
  if (options.notes && h.note.trim()) parts.push(labelled('Note', h.note.trim()));
  return parts.join('\n\n');
}

/**
 * The researcher's own Markdown under a bold label: on the label's line when it begins with
 * words, after it when it begins with a block (a heading, a list, a quote, code), which a label
 * in front would break.
 */
function labelled(label: string, markdown: string): string {
  const opensBlock = /^(?:#{1,6}\s|[-+*]\s|\d{1,9}[.)]\s|>|```|~~~|\|| {4})/.test(markdown);
  return opensBlock ? `**${label}:**\n\n${markdown}` : `**${label}:** ${markdown}`;
}

/**
 * A reference as a bibliography gives it: Author (date). *Title*. Source. A date taken from the
 * file's properties is when the file was made, not published: "n.d.", as for no date.
 */
function citation(doc: DocumentView): string {
  const { title, date, dateSource, source, author } = doc.meta;
  const when = date && dateSource !== 'file' ? date : 'n.d.';
  const where = source && source !== doc.meta.fileName ? ` ${escapeMarkdownLine(source)}.` : '';
  const work = `*${escapeMarkdownLine(title)}*`;
  // With no author, the title leads (APA's rule), not a bare date.
  return author ? `${escapeMarkdownLine(author)} (${when}). ${work}.${where}` : `${work} (${when}).${where}`;
}

/**
 * A memo as written: it is the researcher's own Markdown, so it is not escaped; its headings are
 * pushed below the section it sits in so they cannot break the export's outline.
 */
function memoBlock(memo: Memo | undefined, depth: number, label: string): string[] {
  if (!memo?.text.trim()) return [];
  const text = memo.text
    .trim()
    .replace(/^(#{1,6})(?=\s)/gm, (hashes) => '#'.repeat(Math.min(6, hashes.length + depth)));
  return [`**${label}** _(${memo.updated.slice(0, 10)})_`, text];
}

function inScope(h: Highlight, ctx: Context): boolean {
  return h.tags.some((t) => ctx.names.has(t) && (!ctx.tagIds || ctx.tagIds.has(t)));
}

const NOTHING = '_No tagged highlights._';

/** Codes as the codebook's tree lists them: a parent, then its children. */
function tagsInOrder(ctx: Context) {
  return treeRows(ctx.codebook)
    .map((r) => r.tag)
    .filter((t) => !ctx.tagIds || ctx.tagIds.has(t.id));
}

/** One document: its title, citation, and its highlights by tag or in reading order. */
function documentSection(doc: DocumentView, ctx: Context, depth: number): string {
  const hashes = '#'.repeat(depth);
  const head = [`${hashes} ${escapeMarkdownLine(doc.meta.title)}`];
  if (ctx.options.citation) head.push(citation(doc));
  head.push(...memoBlock(ctx.memos?.documents[doc.meta.id], depth, 'Memo'));
  const sorted = [...doc.highlights].sort(byDocumentOrder);
  const body: string[] = [];
  if (ctx.options.layout === 'reading') {
    body.push(...sorted.filter((h) => inScope(h, ctx)).map((h) => highlightBlock(doc, h, ctx, true)));
  } else {
    for (const tag of tagsInOrder(ctx)) {
      const tagged = sorted.filter((h) => h.tags.includes(tag.id));
      if (tagged.length === 0) continue;
      body.push(
        `${hashes}# ${escapeMarkdownLine(tag.name)}`,
        ...(ctx.memos && ctx.single ? memoBlock(ctx.memos.codes[tag.id], depth + 1, 'Code memo') : []),
        ...tagged.map((h) => highlightBlock(doc, h, ctx, false)),
      );
    }
  }
  return [...head, ...(body.length > 0 ? body : [NOTHING])].join('\n\n');
}

/** Several documents grouped by tag: a section per tag, a sub-section per document in it. */
function tagFirst(docs: DocumentView[], ctx: Context): string[] {
  const sections: string[] = [];
  for (const tag of tagsInOrder(ctx)) {
    const parts: string[] = [];
    for (const doc of docs) {
      const tagged = [...doc.highlights].sort(byDocumentOrder).filter((h) => h.tags.includes(tag.id));
      if (tagged.length === 0) continue;
      parts.push(`### ${escapeMarkdownLine(doc.meta.title)}`);
      if (ctx.options.citation) parts.push(citation(doc));
      parts.push(...tagged.map((h) => highlightBlock(doc, h, ctx, false)));
    }
    if (parts.length > 0) {
      const memo = memoBlock(ctx.memos?.codes[tag.id], 2, 'Code memo');
      sections.push([`## ${escapeMarkdownLine(tag.name)}`, ...memo, ...parts].join('\n\n'));
    }
  }
  return sections.length > 0 ? sections : [NOTHING];
}

function frontMatter(fields: [string, string | number | undefined][]): string {
  const lines = fields
    .filter((field): field is [string, string | number] => field[1] !== undefined)
    .map(([key, value]) => `${key}: ${typeof value === 'number' ? value : yamlString(value)}`);
  return ['---', ...lines, '---'].join('\n');
}

/**
 * Tagged highlights as Markdown for Obsidian, Zettlr, Pandoc or a paper draft: YAML front matter,
 * then the chosen layout; each highlight a blockquote of exactly its text, then its reference and
 * note. Every piece of the library's text is escaped, so the output renders as that text in any
 * CommonMark renderer. Output depends only on the documents, codebook and options: the same
 * library exports the same bytes.
 */
export function exportMarkdown(docs: DocumentView[], codebook: Codebook, options: MarkdownOptions): string {
  const ctx: Context = {
    memos: options.memoTexts && (options.memos ?? true) ? options.memoTexts : null,
    single: docs.length === 1,
    codebook,
    names: new Map(codebook.tags.map((t) => [t.id, t.name])),
    tagIds: options.tags && options.tags.length > 0 ? new Set(options.tags) : null,
    blocks: new Map(),
    options: {
      layout: options.layout ?? 'tag',
      ...(Object.fromEntries(MARKDOWN_FLAGS.map((f) => [f.key, options[f.key] ?? f.byDefault])) as Record<
        MarkdownFlag,
        boolean
      >),
    },
  };
  const total = docs.reduce((n, doc) => n + doc.highlights.filter((h) => inScope(h, ctx)).length, 0);
  if (docs.length === 1) {
    const [doc] = docs;
    const head = frontMatter([
      ['title', doc.meta.title],
      ['date', doc.meta.date],
      ['source', doc.meta.source],
      ['author', doc.meta.author],
      ['exported', options.exported],
      ['highlights', total],
    ]);
    const journal = memoBlock(ctx.memos?.project, 1, 'Project memo');
    return `${[head, ...journal, documentSection(doc, ctx, 1)].join('\n\n')}\n`;
  }
  const head = frontMatter([
    ['title', 'Glossa export'],
    ['exported', options.exported],
    ['documents', docs.length],
    ['highlights', total],
  ]);
  const body = ctx.options.layout === 'tag' ? tagFirst(docs, ctx) : docs.map((d) => documentSection(d, ctx, 1));
  const journal = memoBlock(ctx.memos?.project, 1, 'Project memo');
  const codeMemos =
    ctx.options.layout === 'tag'
      ? []
      : tagsInOrder(ctx).flatMap((t) => {
          const memo = memoBlock(ctx.memos?.codes[t.id], 2, 'Code memo');
          return memo.length > 0 ? [`## ${escapeMarkdownLine(t.name)}`, ...memo] : [];
        });
  const tail = codeMemos.length > 0 ? ['# Code memos', ...codeMemos] : [];
  return `${[head, ...journal, ...body, ...tail].join('\n\n')}\n`;
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
