import type { Block } from '../../shared/blocks';
import type { ParagraphKind } from '../../shared/types';
import { extractedFromBlocks, isoDate, type Extracted, type FoundMeta } from './document';

// Imported HTML is never shown as HTML: it is sanitized, then reduced to text blocks, and the reader
// renders those as text. The sanitizer is the first wall (nothing executable or remote survives even
// in memory), the reduction to text the second. jsdom, as used here, runs no script and fetches no
// resource: `runScripts` and `resources` are left at their safe defaults.

const SKIPPED = new Set(['nav', 'aside', 'footer', 'header', 'form', 'button', 'select', 'textarea', 'svg', 'math']);
const BLOCKS = new Set([
  'address',
  'article',
  'blockquote',
  'dd',
  'details',
  'div',
  'dl',
  'dt',
  'figcaption',
  'figure',
  'h1',
  'h2',
  'h3',
  'h4',
  'h5',
  'h6',
  'hr',
  'li',
  'main',
  'ol',
  'p',
  'pre',
  'section',
  'summary',
  'table',
  'tbody',
  'td',
  'tfoot',
  'th',
  'thead',
  'tr',
  'ul',
  'caption',
]);

interface Context {
  kind: ParagraphKind;
  level?: number;
  listDepth: number;
}

function contextFor(tag: string, parent: Context): Context {
  const heading = /^h([1-6])$/.exec(tag);
  if (heading) return { kind: 'heading', level: Number(heading[1]), listDepth: parent.listDepth };
  if (tag === 'ul' || tag === 'ol') return { ...parent, listDepth: parent.listDepth + 1 };
  if (tag === 'li') return { kind: 'list-item', level: Math.max(1, parent.listDepth), listDepth: parent.listDepth };
  if (tag === 'blockquote') return { kind: 'quote', listDepth: parent.listDepth };
  if (tag === 'figcaption' || tag === 'caption') return { kind: 'caption', listDepth: parent.listDepth };
  return parent;
}

/** Reads sanitized content into blocks: headings, paragraphs, list items, quotes and captions. */
function blocksOf(root: Node): Block[] {
  const blocks: Block[] = [];
  let buffer = '';
  const flush = (ctx: Context) => {
    if (buffer.trim()) blocks.push({ text: buffer, kind: ctx.kind, ...(ctx.level ? { level: ctx.level } : {}) });
    buffer = '';
  };
  const walk = (node: Node, ctx: Context) => {
    for (const child of Array.from(node.childNodes)) {
      if (child.nodeType === 3) {
        buffer += child.nodeValue ?? '';
        continue;
      }
      if (child.nodeType !== 1) continue;
      const tag = (child as Element).localName;
      if (SKIPPED.has(tag)) continue;
      if (tag === 'br') {
        buffer += ' ';
        continue;
      }
      if (!BLOCKS.has(tag)) {
        walk(child, ctx);
        continue;
      }
      flush(ctx);
      const inner = contextFor(tag, ctx);
      walk(child, inner);
      flush(inner);
    }
  };
  const top: Context = { kind: 'body', listDepth: 0 };
  walk(root, top);
  flush(top);
  return blocks;
}

function metaOf(doc: Document): FoundMeta {
  const content = (selector: string) => doc.querySelector(selector)?.getAttribute('content')?.trim() || undefined;
  const firstHeading = doc.querySelector('h1')?.textContent?.trim();
  return {
    title:
      doc.querySelector('title')?.textContent?.trim() ||
      content('meta[property="og:title"]') ||
      firstHeading ||
      undefined,
    author: content('meta[name="author"]') ?? content('meta[property="article:author"]'),
    source: content('meta[property="og:site_name"]') ?? content('meta[name="publisher"]'),
    date: isoDate(
      content('meta[property="article:published_time"]') ??
        content('meta[name="date"]') ??
        content('meta[name="dc.date"]') ??
        doc.querySelector('time[datetime]')?.getAttribute('datetime'),
    ),
  };
}

/**
 * Sanitizes HTML with DOMPurify and reduces it to blocks. Only the article is kept where the page
 * marks one (`<article>`, else `<main>`), so menus and footers do not become paragraphs.
 */
export async function extractHtml(html: string, extraMeta: FoundMeta = {}): Promise<Extracted> {
  // Loaded on demand: jsdom takes a while to load, and most starts import nothing.
  const [{ JSDOM }, { default: createDOMPurify }] = await Promise.all([import('jsdom'), import('dompurify')]);
  const { window } = new JSDOM('');
  const purify = createDOMPurify(window as unknown as Parameters<typeof createDOMPurify>[0]);
  const clean = purify.sanitize(html, {
    WHOLE_DOCUMENT: true,
    RETURN_DOM: true,
    FORBID_TAGS: ['style', 'link', 'iframe', 'frame', 'object', 'embed', 'img', 'picture', 'video', 'audio', 'source'],
    FORBID_ATTR: ['style', 'srcset', 'src', 'background', 'poster'],
  }) as HTMLElement;
  // The head is read from an inert parse of the original: DOMPurify drops <title> and <meta>.
  const inert = new window.DOMParser().parseFromString(html, 'text/html');
  const root = clean.querySelector('article') ?? clean.querySelector('main') ?? clean.querySelector('body') ?? clean;
  const found = metaOf(inert);
  return extractedFromBlocks(blocksOf(root), { ...found, ...definedOnly(extraMeta) });
}

function definedOnly(meta: FoundMeta): FoundMeta {
  return Object.fromEntries(Object.entries(meta).filter(([, v]) => v !== undefined && v !== '')) as FoundMeta;
}
