import { XMLParser } from 'fast-xml-parser';

/**
 * QualCoder's REFI-QDA reading and writing rules, reproduced for tests (QualCoder itself is a
 * Python desktop app and cannot run here). Followed: github.com/ccbogel/QualCoder at commit
 * c3204641, src/qualcoder/refi.py —
 * - load_codings_for_text: each Coding of a PlainTextSelection is one `code_text` row (one per code;
 *   a duplicate code on the same range is refused as an IntegrityError), and the selection's
 *   Description is that row's memo; a selection with no Coding is an annotation with the
 *   Description as its memo;
 * - load_text_source / parse_notes / insert_annotation: a NoteRef inside a TextSource points to a
 *   Note whose PlainTextContent and PlainTextSelection make an annotation; a NoteRef inside a
 *   PlainTextSelection is not read;
 * - text_selection_xml and the annotation Note writer: on export, one PlainTextSelection per
 *   code_text row with its memo as Description and a single Coding, new GUIDs throughout;
 *   annotations as Notes holding a PlainTextSelection, referred to from the TextSource.
 * Written here, not copied.
 */

export interface QualCoderProject {
  codes: { guid: string; name: string; color?: string }[];
  sources: { guid: string; name: string; path: string }[];
  codeText: { cid: string; fid: string; pos0: number; pos1: number; memo: string }[];
  annotations: { fid: string; pos0: number; pos1: number; memo: string }[];
}

type Node = Record<string, unknown>;
const list = (x: unknown): Node[] => (Array.isArray(x) ? (x as Node[]) : x ? [x as Node] : []);
const textOf = (x: unknown): string =>
  typeof x === 'string' ? x : x && typeof x === 'object' && '#text' in x ? String((x as Node)['#text']) : '';

export function qualcoderRead(projectXml: string): QualCoderProject {
  const parser = new XMLParser({
    ignoreAttributes: false,
    attributeNamePrefix: '@',
    removeNSPrefix: true,
    parseTagValue: false,
  });
  const root = (parser.parse(projectXml) as Node).Project as Node;
  const codes: QualCoderProject['codes'] = [];
  const walk = (nodes: Node[]) => {
    for (const c of nodes) {
      codes.push({ guid: String(c['@guid']), name: String(c['@name']), color: c['@color'] as string | undefined });
      walk(list(c.Code));
    }
  };
  walk(list(((root.CodeBook as Node)?.Codes as Node)?.Code));
  const out: QualCoderProject = { codes, sources: [], codeText: [], annotations: [] };
  const noteRefs: { note: string; fid: string }[] = [];
  for (const s of list((root.Sources as Node)?.TextSource)) {
    const fid = String(s['@guid']);
    out.sources.push({ guid: fid, name: String(s['@name']), path: String(s['@plainTextPath']) });
    for (const sel of list(s.PlainTextSelection)) {
      const pos0 = Number(sel['@startPosition']);
      const pos1 = Number(sel['@endPosition']);
      const memo = textOf(sel.Description);
      const codings = list(sel.Coding);
      for (const c of codings) {
        const cid = String((c.CodeRef as Node)['@targetGUID']);
        if (out.codeText.some((r) => r.cid === cid && r.fid === fid && r.pos0 === pos0 && r.pos1 === pos1)) continue;
        out.codeText.push({ cid, fid, pos0, pos1, memo });
      }
      if (codings.length === 0) out.annotations.push({ fid, pos0, pos1, memo });
    }
    for (const ref of list(s.NoteRef)) noteRefs.push({ note: String(ref['@targetGUID']), fid });
  }
  for (const n of list((root.Notes as Node)?.Note)) {
    const ref = noteRefs.find((r) => r.note === n['@guid']);
    const sel = list(n.PlainTextSelection)[0];
    if (!ref || !sel) continue;
    out.annotations.push({
      fid: ref.fid,
      pos0: Number(sel['@startPosition']),
      pos1: Number(sel['@endPosition']),
      memo: textOf(n.PlainTextContent),
    });
  }
  return out;
}

const escape = (s: string) =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** QualCoder's export of what it read: new GUIDs, one selection per coding. `guid` makes them. */
export function qualcoderWrite(p: QualCoderProject, guid: () => string): { xml: string; renamed: Map<string, string> } {
  const renamed = new Map<string, string>();
  const fresh = (old: string) => {
    const g = guid();
    renamed.set(old, g);
    return g;
  };
  const code = new Map(p.codes.map((c) => [c.guid, fresh(c.guid)]));
  const source = new Map(p.sources.map((s) => [s.guid, fresh(s.guid)]));
  const user = guid();
  let notes = '';
  let xml = `<?xml version="1.0" encoding="utf-8"?>\n<Project xmlns="urn:QDA-XML:project:1.0" name="qualcoder" origin="QualCoder">\n`;
  xml += `<Users><User guid="${user}" name="default"/></Users>\n<CodeBook><Codes>\n`;
  for (const c of p.codes)
    xml += `<Code guid="${code.get(c.guid)}" name="${escape(c.name)}" isCodable="true"${c.color ? ` color="${c.color}"` : ''}/>\n`;
  xml += '</Codes></CodeBook>\n<Sources>\n';
  for (const s of p.sources) {
    const g = source.get(s.guid) as string;
    xml += `<TextSource guid="${g}" name="${escape(s.name)}" plainTextPath="internal://${g}.txt">\n`;
    for (const r of p.codeText.filter((x) => x.fid === s.guid)) {
      xml += `<PlainTextSelection guid="${guid()}" startPosition="${r.pos0}" endPosition="${r.pos1}" creatingUser="${user}" creationDateTime="2026-01-01T00:00:00Z">\n`;
      if (r.memo !== '') xml += `<Description>${escape(r.memo)}</Description>\n`;
      xml += `<Coding guid="${guid()}" creatingUser="${user}">\n<CodeRef targetGUID="${code.get(r.cid)}" />\n</Coding>\n</PlainTextSelection>\n`;
    }
    for (const a of p.annotations.filter((x) => x.fid === s.guid)) {
      const note = guid();
      xml += `<NoteRef targetGUID="${note}" />\n`;
      notes += `<Note guid="${note}" creatingUser="${user}" creationDateTime="2026-01-01T00:00:00Z">\n<PlainTextContent>${escape(a.memo)}</PlainTextContent>\n<PlainTextSelection guid="${guid()}" startPosition="${a.pos0}" endPosition="${a.pos1}" />\n</Note>\n`;
    }
    xml += '</TextSource>\n';
  }
  xml += `</Sources>\n${notes ? `<Notes>\n${notes}</Notes>\n` : ''}</Project>\n`;
  return { xml, renamed };
}
