import { zipSync } from 'fflate';
import { XMLParser } from 'fast-xml-parser';
import { GlossaError } from '../../shared/errors';
import { refuseDoctype } from '../../shared/xml-safety';
import { extractHtml } from './html';
import { isoDate, type Extracted, type FoundMeta } from './document';
import { inflateZip } from './zip';

const coreParser = new XMLParser({ removeNSPrefix: true, parseTagValue: false, trimValues: true });

function textOf(value: unknown): string | undefined {
  if (typeof value === 'string') return value.trim() || undefined;
  if (value && typeof value === 'object' && '#text' in value) return textOf((value as { '#text': unknown })['#text']);
  return undefined;
}

/**
 * Title, author and date from the document's core properties (docProps/core.xml), where Word keeps
 * them. Read with an XML parser (linear), not a pattern: a crafted core.xml once made a regex here
 * run for minutes. Damaged properties are skipped; they are not the document.
 */
function coreProperties(xml: string | undefined): FoundMeta {
  if (!xml) return {};
  refuseDoctype(xml, 'docProps/core.xml');
  let parsed: Record<string, Record<string, unknown>>;
  try {
    parsed = coreParser.parse(xml) as typeof parsed;
  } catch {
    return {};
  }
  const core = parsed.coreProperties ?? {};
  // `created` is when the file was made, not when the text was published: said so on screen.
  const date = isoDate(textOf(core.created));
  return {
    title: textOf(core.title),
    author: textOf(core.creator),
    date,
    ...(date ? { dateSource: 'file' as const } : {}),
  };
}

/**
 * Text and headings of a Word document, through mammoth's semantic HTML. The zip is inflated once
 * through inflateZip (which counts the bytes it produces and stops at the caps), and mammoth reads
 * exactly the entries that passed, re-packed: never the original, whose directory could point at
 * data the checked pass did not see.
 */
export async function extractDocx(bytes: Uint8Array): Promise<Extracted> {
  const entries = inflateZip(bytes, 'Word document (.docx)');
  const names = [...entries.keys()];
  if (!names.some((n) => n.toLowerCase() === 'word/document.xml')) {
    throw new GlossaError(
      'INVALID_INPUT',
      'the file is not a readable Word document (.docx): it has no word/document.xml.',
    );
  }
  const coreName = names.find((n) => n.toLowerCase() === 'docprops/core.xml');
  const meta = coreProperties(coreName ? new TextDecoder().decode(entries.get(coreName)) : undefined);
  const checked = zipSync(Object.fromEntries(entries), { level: 0 });
  entries.clear();
  let html: string;
  const { default: mammoth } = await import('mammoth');
  try {
    html = (await mammoth.convertToHtml({ buffer: Buffer.from(checked) })).value;
  } catch (error) {
    throw new GlossaError(
      'INVALID_INPUT',
      `the file is not a readable Word document (.docx): ${(error as Error).message.split('\n')[0]}.`,
    );
  }
  return extractHtml(html, meta);
}
