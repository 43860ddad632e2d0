import { GlossaError } from '../../shared/errors';
import { extractHtml } from './html';
import { isoDate, type Extracted, type FoundMeta } from './document';
import { checkZipSize } from './zip-limits';

function xmlText(xml: string, tag: string): string | undefined {
  const match = new RegExp(`<${tag}(?:\\s[^>]*)?>([^<]*)</${tag}>`).exec(xml);
  if (!match) return undefined;
  return match[1]
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&amp;/g, '&')
    .trim();
}

/** Title, author and date from the document's core properties (docProps/core.xml), where Word keeps them. */
async function coreProperties(bytes: Uint8Array): Promise<FoundMeta> {
  const { default: JSZip } = await import('jszip');
  const zip = await JSZip.loadAsync(bytes);
  const core = await zip.file('docProps/core.xml')?.async('string');
  if (!core) return {};
  return {
    title: xmlText(core, 'dc:title'),
    author: xmlText(core, 'dc:creator'),
    date: isoDate(xmlText(core, 'dcterms:created')),
  };
}

/** Text and headings of a Word document, through mammoth's semantic HTML. */
export async function extractDocx(bytes: Uint8Array): Promise<Extracted> {
  checkZipSize(bytes, 'DOCX');
  let html: string;
  let meta: FoundMeta;
  const { default: mammoth } = await import('mammoth');
  try {
    html = (await mammoth.convertToHtml({ buffer: Buffer.from(bytes) })).value;
    meta = await coreProperties(bytes);
  } catch (error) {
    throw new GlossaError(
      'INVALID_INPUT',
      `the file is not a readable Word document (.docx): ${(error as Error).message.split('\n')[0]}.`,
    );
  }
  return extractHtml(html, meta);
}
