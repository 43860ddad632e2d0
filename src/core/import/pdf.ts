import { GlossaError } from '../../shared/errors';
import type { Block } from '../../shared/blocks';
import { extractedFromBlocks, type Extracted, type FoundMeta } from './document';

// pdfjs gives positioned text runs, not paragraphs. Lines are rebuilt from the runs' end-of-line
// marks, and a paragraph ends where the gap to the next line is clearly larger than the page's usual
// line spacing, or where a line stops well short of the right margin and ends a sentence. A
// paragraph that runs over a page break continues; its `page` is where it starts, for citations.

interface Line {
  text: string;
  y: number;
  right: number;
  height: number;
}

interface TextRun {
  str: string;
  hasEOL: boolean;
  transform: number[];
  width: number;
  height: number;
}

function isRun(item: unknown): item is TextRun {
  return typeof item === 'object' && item !== null && 'str' in item && 'transform' in item;
}

function linesOf(items: unknown[]): Line[] {
  const lines: Line[] = [];
  let current: Line | null = null;
  for (const item of items) {
    if (!isRun(item)) continue;
    const y = item.transform[5];
    const x = item.transform[4];
    if (current && Math.abs(current.y - y) > Math.max(2, current.height * 0.5)) {
      lines.push(current);
      current = null;
    }
    if (!current) current = { text: '', y, right: 0, height: item.height || 10 };
    current.text += item.str;
    current.right = Math.max(current.right, x + item.width);
    current.height = Math.max(current.height, item.height || 0);
    if (item.hasEOL) {
      lines.push(current);
      current = null;
    }
  }
  if (current) lines.push(current);
  return lines.filter((l) => l.text.trim().length > 0);
}

const SENTENCE_END = /[.!?:"”’)\]]$/;
// A line holding only a number is a page number in a header or footer, not text.
const PAGE_NUMBER = /^\s*(?:page\s+)?\d{1,4}(?:\s*(?:\/|of)\s*\d{1,4})?\s*$/i;

function median(values: number[]): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

/** Joins two lines of one paragraph, mending words hyphenated across the line break. */
function joinLine(paragraph: string, line: string): string {
  if (/[A-Za-z]-$/.test(paragraph) && /^[a-z]/.test(line)) return paragraph.slice(0, -1) + line;
  return `${paragraph} ${line}`;
}

function pdfDate(value: unknown): string | undefined {
  const match = /^(?:D:)?(\d{4})(\d{2})(\d{2})/.exec(typeof value === 'string' ? value : '');
  return match ? `${match[1]}-${match[2]}-${match[3]}` : undefined;
}

export async function extractPdf(bytes: Uint8Array): Promise<Extracted> {
  // Loaded on demand: pdfjs is large, and most sessions import no PDF.
  const pdfjs = await import('pdfjs-dist/legacy/build/pdf.mjs');
  let pdf: Awaited<ReturnType<typeof pdfjs.getDocument>['promise']>;
  try {
    pdf = await pdfjs.getDocument({
      data: new Uint8Array(bytes),
      isEvalSupported: false,
      disableFontFace: true,
      useSystemFonts: false,
      verbosity: 0,
    }).promise;
  } catch (error) {
    const name = (error as Error).name;
    if (name === 'PasswordException') {
      throw new GlossaError(
        'INVALID_INPUT',
        'the PDF is password-protected; open it elsewhere and save an unprotected copy.',
      );
    }
    throw new GlossaError('INVALID_INPUT', `the file is not a readable PDF (${(error as Error).message}).`);
  }
  try {
    const blocks: Block[] = [];
    let open: Block | null = null;
    let lastRight = 0;
    for (let n = 1; n <= pdf.numPages; n++) {
      const page = await pdf.getPage(n);
      const width = page.view[2] - page.view[0];
      const lines = linesOf((await page.getTextContent()).items).filter((l) => !PAGE_NUMBER.test(l.text));
      const gaps = lines
        .slice(1)
        .map((l, i) => lines[i].y - l.y)
        .filter((g) => g > 0);
      const spacing = median(gaps) || 14;
      const fullWidth = Math.max(...lines.map((l) => l.right), width * 0.5);
      lines.forEach((line, i) => {
        const text = line.text.trim();
        const gap = i > 0 ? lines[i - 1].y - line.y : 0;
        const previousShort = lastRight < fullWidth * 0.8 && open !== null && SENTENCE_END.test(open.text);
        const startsParagraph =
          open === null ||
          (i > 0 && (gap > spacing * 1.4 || gap < 0)) ||
          (previousShort && (i > 0 || SENTENCE_END.test(open.text)));
        if (startsParagraph) {
          open = { text, kind: 'body', page: n };
          blocks.push(open);
        } else if (open) {
          open.text = joinLine(open.text, text);
        }
        lastRight = line.right;
      });
      page.cleanup();
    }
    const info = ((await pdf.getMetadata()).info ?? {}) as Record<string, unknown>;
    // CreationDate is when the PDF was made, not necessarily when the text was published.
    const date = pdfDate(info.CreationDate);
    const meta: FoundMeta = {
      title: typeof info.Title === 'string' ? info.Title : undefined,
      author: typeof info.Author === 'string' ? info.Author : undefined,
      date,
      ...(date ? { dateSource: 'file' as const } : {}),
      pageCount: pdf.numPages,
    };
    const extracted = extractedFromBlocks(blocks, meta);
    if (!extracted.text) {
      throw new GlossaError(
        'INVALID_INPUT',
        'the PDF has no text layer (a scan?); Glossa does not read text from images.',
      );
    }
    return extracted;
  } finally {
    await pdf.destroy();
  }
}
