import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { refuseDoctype } from './xml-safety';
import { offsetConverter } from './code-points';
import { GlossaError } from './errors';
import { MAX_CODER_CHARS } from './limits';
import { idFor, type IncomingHighlight } from './interchange';
import { parentOf, treeRows } from './codebook';
import type { Codebook, DocumentView, Highlight, Memo, Memos } from './types';

// REFI-QDA (QDA-XML 1.0): the exchange standard of QualCoder, ATLAS.ti, NVivo and MAXQDA. A
// project (.qde inside a .qdpx zip) holds users, the codebook, text sources with their selections
// and codings, and notes; a codebook (.qdc) holds codes alone. Positions count characters — Unicode
// code points — in the source's plain text, so they are converted from Glossa's UTF-16 offsets.

export const PROJECT_NS = 'urn:QDA-XML:project:1.0';
export const CODEBOOK_NS = 'urn:QDA-XML:codebook:1.0';
const ORIGIN = 'Glossa';

const GUID = /^(?:\{)?([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})(?:\})?$/;

/** A GUID for a Glossa id: the id itself when it is one (highlight ids are), else derived from it. */
export function guidFor(kind: string, id: string): string {
  if (GUID.test(id)) return (GUID.exec(id) as RegExpExecArray)[1].toLowerCase();
  const hex = idFor(`glossa:${kind}:${id}\u0000`).slice(1);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

type Node = Record<string, unknown>;

const declaration = '<?xml version="1.0" encoding="utf-8"?>\n';

/** Characters XML 1.0 cannot carry at all (most control characters, lone surrogates) are dropped. */
function xmlSafe(value: string): string {
  return value.replace(
    // eslint-disable-next-line no-control-regex -- matching control characters is the point
    /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g,
    '',
  );
}

const TEXT_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;' };
// In attributes, tabs and line breaks are escaped too: a parser would otherwise normalize them to spaces.
const ATTR_ESCAPES: Record<string, string> = {
  ...TEXT_ESCAPES,
  '"': '&quot;',
  '\t': '&#9;',
  '\n': '&#10;',
  '\r': '&#13;',
};
const escapeText = (v: string) => xmlSafe(v).replace(/[&<>]/g, (c) => TEXT_ESCAPES[c]);
const escapeAttr = (v: string) => xmlSafe(v).replace(/[&<>"\t\n\r]/g, (c) => ATTR_ESCAPES[c]);

/**
 * Writes a tree of plain objects as XML: keys starting with `@` are attributes, `#text` is text,
 * other keys are child elements (arrays repeat them) in the order given — the order the schema's
 * sequences require. Hand-written because a general builder took most of a second on 10,000
 * selections; escaping is covered by the round-trip and schema tests.
 */
function writeXml(out: string[], name: string, node: Node | string | number, indent: string): void {
  if (typeof node !== 'object') {
    out.push(`${indent}<${name}>${escapeText(String(node))}</${name}>\n`);
    return;
  }
  let attrs = '';
  const children: [string, Node][] = [];
  for (const [key, value] of Object.entries(node)) {
    if (value === undefined) continue;
    if (key.startsWith('@')) attrs += ` ${key.slice(1)}="${escapeAttr(String(value))}"`;
    else for (const child of Array.isArray(value) ? value : [value]) children.push([key, child as Node]);
  }
  if (children.length === 0) {
    out.push(`${indent}<${name}${attrs}/>\n`);
    return;
  }
  out.push(`${indent}<${name}${attrs}>\n`);
  for (const [key, child] of children) writeXml(out, key, child, `${indent}  `);
  out.push(`${indent}</${name}>\n`);
}

const build = (root: Node): string => {
  const [name, node] = Object.entries(root)[0];
  const out = [declaration];
  writeXml(out, name, node as Node, '');
  return out.join('');
};

/** The codebook as nested `Code` elements: children inside their parent, descriptions kept. */
function codesOf(codebook: Codebook, noteRef: (tagId: string) => Node | undefined = () => undefined): Node[] {
  const rows = treeRows(codebook);
  const nodes = new Map<string, Node>();
  const top: Node[] = [];
  for (const { tag: t } of rows) {
    const node: Node = {
      '@guid': guidFor('tag', t.id),
      '@name': t.name,
      '@isCodable': 'true',
      ...(/^#([0-9a-fA-F]{6}|[0-9a-fA-F]{3})$/.test(t.color) ? { '@color': t.color } : {}),
      ...(t.description?.trim() ? { Description: t.description } : {}),
    };
    const ref = noteRef(t.id);
    if (ref) node.NoteRef = ref;
    nodes.set(t.id, node);
    const parent = parentOf(codebook, t);
    const holder = parent !== null ? nodes.get(parent) : undefined;
    if (holder) {
      const children = (holder.Code as Node[] | undefined) ?? [];
      children.push(node);
      holder.Code = children;
    } else top.push(node);
  }
  return top;
}

/** The codebook as a REFI-QDA `.qdc` file. */
export function exportCodebook(codebook: Codebook): string {
  return build({ CodeBook: { '@xmlns': CODEBOOK_NS, '@origin': ORIGIN, Codes: { Code: codesOf(codebook) } } });
}

export interface ProjectFile {
  /** project.qde */
  project: string;
  /** Source texts by path inside the zip (`sources/<guid>.txt`). */
  sources: Record<string, string>;
  /** Orphaned highlights left out: they have no place in the text to point to. */
  orphansLeftOut: number;
}

/** Documents, codebook, codings and notes as a REFI-QDA project (the contents of a `.qdpx`). */
export function exportProject(
  docs: DocumentView[],
  codebook: Codebook,
  options: { name: string; tags?: string[]; now: Date; memos?: Memos },
): ProjectFile {
  const user = guidFor('user', 'glossa');
  // Each coder is a User, and their codings say so (creatingUser); the rest are Glossa's.
  const coders = [...new Set(docs.flatMap((d) => d.highlights.map((h) => h.coder).filter((c): c is string => !!c)))];
  const userOf = (h: Highlight) => (h.coder ? guidFor('user', `coder:${h.coder}`) : user);
  const time = options.now.toISOString();
  const only = options.tags && options.tags.length > 0 ? new Set(options.tags) : null;
  const sources: Record<string, string> = {};
  const notes: Node[] = [];
  // Memos become Notes, referred to from where the standard attaches notes: the project, a
  // source, a code.
  const memoNote = (key: string, name: string, memo: Memo | undefined): Node | undefined => {
    if (!memo?.text.trim()) return undefined;
    const guid = guidFor('memo', key);
    notes.push({
      '@guid': guid,
      '@name': name,
      '@creatingUser': user,
      '@creationDateTime': memo.created,
      '@modifyingUser': user,
      '@modifiedDateTime': memo.updated,
      PlainTextContent: memo.text,
    });
    return { '@targetGUID': guid };
  };
  let orphansLeftOut = 0;
  const textSources = docs.map((doc) => {
    const guid = guidFor('document', doc.meta.id);
    sources[`sources/${guid}.txt`] = doc.text;
    const offsets = offsetConverter(doc.text);
    const selections = [...doc.highlights]
      .filter((h) => !only || h.tags.some((t) => only.has(t)))
      .filter((h) => {
        if (h.orphan) orphansLeftOut++;
        return !h.orphan;
      })
      .sort((a, b) => a.target.position.start - b.target.position.start || a.id.localeCompare(b.id))
      .map((h: Highlight) => {
        const selection: Node = {
          '@guid': guidFor('highlight', h.id),
          '@name': h.target.quote.exact.slice(0, 200),
          '@startPosition': offsets.toCodePoints(h.target.position.start),
          '@endPosition': offsets.toCodePoints(h.target.position.end),
          '@creatingUser': userOf(h),
          '@creationDateTime': h.created,
          '@modifyingUser': userOf(h),
          '@modifiedDateTime': h.updated,
          // The note as the selection's Description too: QualCoder reads that (and not a NoteRef) as
          // the coding memo. The importer below takes the two as one note.
          ...(h.note.trim() ? { Description: h.note } : {}),
          Coding: h.tags
            .filter((t) => codebook.tags.some((x) => x.id === t))
            .map((t) => ({
              '@guid': guidFor('coding', `${h.id}:${t}`),
              '@creatingUser': userOf(h),
              '@creationDateTime': h.created,
              CodeRef: { '@targetGUID': guidFor('tag', t) },
            })),
        };
        if (h.note.trim()) {
          const noteGuid = guidFor('note', `${h.id}:note`);
          notes.push({
            '@guid': noteGuid,
            '@name': `Note on “${h.target.quote.exact.slice(0, 60)}”`,
            '@creatingUser': user,
            '@creationDateTime': h.updated,
            PlainTextContent: h.note,
          });
          selection.NoteRef = { '@targetGUID': noteGuid };
        }
        return selection;
      });
    return {
      '@guid': guid,
      '@name': doc.meta.title,
      '@plainTextPath': `internal://${guid}.txt`,
      '@creatingUser': user,
      '@creationDateTime': doc.meta.added,
      ...(doc.meta.source ? { Description: [doc.meta.source, doc.meta.date].filter(Boolean).join(', ') } : {}),
      PlainTextSelection: selections,
      NoteRef: memoNote(`document:${doc.meta.id}`, `Memo: ${doc.meta.title}`, options.memos?.documents[doc.meta.id]),
    };
  });
  const codes = codesOf(codebook, (tagId) => {
    const tag = codebook.tags.find((t) => t.id === tagId);
    return memoNote(`code:${tagId}`, `Memo: ${tag?.name ?? tagId}`, options.memos?.codes[tagId]);
  });
  const projectMemo = memoNote('project', 'Project memo', options.memos?.project);
  const project: Node = {
    '@xmlns': PROJECT_NS,
    '@name': options.name,
    '@origin': ORIGIN,
    '@creatingUserGUID': user,
    '@creationDateTime': time,
    Users: {
      User: [
        { '@guid': user, '@name': 'Glossa' },
        ...coders.map((c) => ({ '@guid': guidFor('user', `coder:${c}`), '@name': c })),
      ],
    },
    ...(codebook.tags.length > 0 ? { CodeBook: { Codes: { Code: codes } } } : {}),
    ...(textSources.length > 0 ? { Sources: { TextSource: textSources } } : {}),
    ...(notes.length > 0 ? { Notes: { Note: notes } } : {}),
    ...(projectMemo ? { NoteRef: projectMemo } : {}),
  };
  return { project: build({ Project: project }), sources, orphansLeftOut };
}

// Reading REFI-QDA back.

const REPEATED = new Set([
  'User',
  'Code',
  'TextSource',
  'PlainTextSelection',
  'Coding',
  'NoteRef',
  'Note',
  'PDFSource',
  'PictureSource',
  'AudioSource',
  'VideoSource',
  'Set',
  'Case',
  'Variable',
  'Link',
  'Graph',
]);

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@',
  removeNSPrefix: true,
  parseAttributeValue: false,
  parseTagValue: false,
  trimValues: false,
  processEntities: true,
  isArray: (name) => REPEATED.has(name),
});

function parseXml(xml: string, fileName: string): Node {
  refuseDoctype(xml, fileName);
  const valid = XMLValidator.validate(xml);
  if (valid !== true) {
    throw new GlossaError(
      'INVALID_INPUT',
      `${fileName} is not well-formed XML (line ${valid.err.line}: ${valid.err.msg}).`,
    );
  }
  return parser.parse(xml) as Node;
}

const arr = (x: unknown): Node[] => (Array.isArray(x) ? (x as Node[]) : x ? [x as Node] : []);
const attr = (node: Node, name: string): string | undefined => {
  const v = node[`@${name}`];
  return typeof v === 'string' ? v : undefined;
};
const text = (x: unknown): string =>
  typeof x === 'string' ? x : x && typeof x === 'object' && '#text' in x ? String((x as Node)['#text']) : '';

export interface IncomingCode {
  guid: string;
  name: string;
  color?: string;
  description?: string;
  /** The GUID of the code it is nested in. */
  parent?: string;
}

class GuidRegistry {
  private readonly seen = new Set<string>();
  take(guid: string | undefined, what: string): string {
    if (!guid || !GUID.test(guid))
      throw new GlossaError('INVALID_INPUT', `${what} has no valid GUID ("${guid ?? ''}").`);
    const g = (GUID.exec(guid) as RegExpExecArray)[1].toLowerCase();
    if (this.seen.has(g)) throw new GlossaError('INVALID_INPUT', `GUID ${g} is used twice (${what}).`);
    this.seen.add(g);
    return g;
  }
}

function readCodes(codes: unknown, guids: GuidRegistry): IncomingCode[] {
  const out: IncomingCode[] = [];
  const walk = (list: Node[], parent: string | undefined) => {
    for (const c of list) {
      const name = attr(c, 'name');
      const guid = guids.take(attr(c, 'guid'), `code "${name ?? '?'}"`);
      if (!name?.trim()) throw new GlossaError('INVALID_INPUT', `code ${guid} has no name.`);
      const color = attr(c, 'color');
      const description = text(c.Description).trim();
      out.push({
        guid,
        name: name.trim(),
        ...(color ? { color } : {}),
        ...(description ? { description } : {}),
        ...(parent ? { parent } : {}),
      });
      walk(arr(c.Code), guid);
    }
  };
  walk(arr((codes as Node | undefined)?.Code), undefined);
  return out;
}

/** Codes of a `.qdc` codebook file. */
export function parseCodebook(xml: string): IncomingCode[] {
  const root = parseXml(xml, 'the codebook').CodeBook as Node | undefined;
  if (!root || typeof root !== 'object') {
    throw new GlossaError('INVALID_INPUT', 'the file is not a REFI-QDA codebook (its root element is not CodeBook).');
  }
  return readCodes(root.Codes, new GuidRegistry());
}

export interface IncomingSource {
  guid: string;
  name: string;
  text: string;
  description?: string;
  highlights: IncomingHighlight[];
}

export interface IncomingProject {
  name: string;
  codes: IncomingCode[];
  sources: IncomingSource[];
  /** Sources Glossa cannot read (pictures, audio, video, PDF regions), left out and counted. */
  skippedSources: number;
  /** Everything else the project holds that Glossa does not take over, in words with counts. */
  notImported: string[];
}

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** One selection, coding or annotation as read, before those on the same range become one highlight. */
interface RawSelection {
  guid: string;
  start: number;
  end: number;
  coder?: string;
  tagNames: string[];
  notes: string[];
  created?: string;
  updated?: string;
}

/**
 * Selections on the same range become one highlight: QualCoder (and others) write one selection
 * per code, so a passage with two codes would come back as two highlights. Codes are joined, the
 * same note is kept once, the earliest creation and latest change kept.
 */
function mergeByRange(list: RawSelection[]): RawSelection[] {
  const byRange = new Map<string, RawSelection>();
  for (const sel of list) {
    // One coder's selections on a range are one highlight; another coder's stay theirs.
    const key = `${sel.start}:${sel.end}:${sel.coder ?? ''}`;
    const known = byRange.get(key);
    if (!known) {
      byRange.set(key, { ...sel, tagNames: [...new Set(sel.tagNames)], notes: [...new Set(sel.notes)] });
      continue;
    }
    for (const t of sel.tagNames) if (!known.tagNames.includes(t)) known.tagNames.push(t);
    for (const n of sel.notes) if (!known.notes.includes(n)) known.notes.push(n);
    if (sel.created && (!known.created || sel.created < known.created)) known.created = sel.created;
    if (sel.updated && (!known.updated || sel.updated > known.updated)) known.updated = sel.updated;
  }
  return [...byRange.values()];
}

/**
 * Reads a project.qde. `readSource` returns the text of an `internal://` path (or throws). Every
 * reference is checked — codings to codes, note references to notes, positions to texts — and
 * every GUID must be unique, so a damaged project is refused whole.
 */
export function parseProject(xml: string, readSource: (path: string) => string): IncomingProject {
  const root = parseXml(xml, 'project.qde').Project as Node | undefined;
  if (!root || typeof root !== 'object') {
    throw new GlossaError('INVALID_INPUT', 'project.qde is not a REFI-QDA project (its root element is not Project).');
  }
  const guids = new GuidRegistry();
  // Users by GUID: a selection's creatingUser is its coder, except Glossa's own unattributed user.
  const userNames = new Map<string, string>();
  const glossaUser = guidFor('user', 'glossa');
  for (const u of arr((root.Users as Node | undefined)?.User)) {
    const guid = guids.take(attr(u, 'guid'), 'user');
    const name = attr(u, 'name')?.trim().slice(0, MAX_CODER_CHARS).trim();
    if (name && guid !== glossaUser) userNames.set(guid, name);
  }
  const coderOf = (node: Node) => userNames.get((attr(node, 'creatingUser') ?? '').replace(/[{}]/g, '').toLowerCase());
  const codes = readCodes((root.CodeBook as Node | undefined)?.Codes, guids);
  const codeNames = new Map(codes.map((c) => [c.guid, c.name]));
  const notes = new Map<string, string>();
  // A Note holding a PlainTextSelection is a text annotation (QualCoder, NVivo): a note on a passage.
  const annotatedRanges = new Map<string, { start: number; end: number; guid: string }[]>();
  for (const n of arr((root.Notes as Node | undefined)?.Note)) {
    const guid = guids.take(attr(n, 'guid'), `note "${attr(n, 'name') ?? '?'}"`);
    notes.set(guid, text(n.PlainTextContent));
    const ranges = arr(n.PlainTextSelection).map((sel) => ({
      guid: guids.take(attr(sel, 'guid'), `a selection in note ${guid}`),
      start: Number(attr(sel, 'startPosition')),
      end: Number(attr(sel, 'endPosition')),
    }));
    if (ranges.length > 0) annotatedRanges.set(guid, ranges);
  }
  const notesUsed = new Set<string>();
  let memosLeftOut = 0;
  const sourcesNode = (root.Sources as Node | undefined) ?? {};
  const skippedSources = ['PDFSource', 'PictureSource', 'AudioSource', 'VideoSource'].reduce(
    (n, kind) => n + arr(sourcesNode[kind]).length,
    0,
  );
  const noteFor = (refs: unknown, where: string) =>
    arr(refs)
      .map((r) => {
        const target = (attr(r, 'targetGUID') ?? '').replace(/[{}]/g, '').toLowerCase();
        if (!notes.has(target))
          throw new GlossaError(
            'INVALID_INPUT',
            `${where} refers to note ${target}, which the project does not contain.`,
          );
        notesUsed.add(target);
        return notes.get(target) as string;
      })
      .filter((n) => n.trim());
  const sources = arr(sourcesNode.TextSource).map((s): IncomingSource => {
    const name = attr(s, 'name') ?? 'Untitled source';
    const guid = guids.take(attr(s, 'guid'), `source "${name}"`);
    const inline = s.PlainTextContent !== undefined ? text(s.PlainTextContent) : undefined;
    const path = attr(s, 'plainTextPath');
    let content: string;
    if (inline !== undefined) content = inline;
    else if (path) content = readSource(path);
    else throw new GlossaError('INVALID_INPUT', `source "${name}" has neither text nor a plainTextPath.`);
    const offsets = offsetConverter(content);
    const length = offsets.toCodePoints(content.length);
    const inText = (guid: string, start: number, end: number, raw: [unknown, unknown]) => {
      if (!Number.isInteger(start) || !Number.isInteger(end) || start < 0 || end <= start || end > length) {
        throw new GlossaError(
          'INVALID_INPUT',
          `selection ${guid} in "${name}" has positions ${String(raw[0])}–${String(raw[1])}, outside its text of ${length} characters.`,
        );
      }
    };
    const raw = arr(s.PlainTextSelection).map((sel): RawSelection => {
      const selGuid = guids.take(attr(sel, 'guid'), `a selection in "${name}"`);
      const start = Number(attr(sel, 'startPosition'));
      const end = Number(attr(sel, 'endPosition'));
      inText(selGuid, start, end, [attr(sel, 'startPosition'), attr(sel, 'endPosition')]);
      const tagNames = arr(sel.Coding).map((c) => {
        guids.take(attr(c, 'guid'), `a coding in "${name}"`);
        const target = (attr(c.CodeRef as Node, 'targetGUID') ?? '').replace(/[{}]/g, '').toLowerCase();
        const codeName = codeNames.get(target);
        if (!codeName) {
          throw new GlossaError(
            'INVALID_INPUT',
            `a coding in "${name}" refers to code ${target || '(none)'}, which the codebook does not define.`,
          );
        }
        return codeName;
      });
      // A selection without a Coding but with a Description is an annotation (MAXQDA writes these).
      const description = text(sel.Description);
      const coder = coderOf(sel);
      return {
        guid: selGuid,
        start,
        end,
        ...(coder ? { coder } : {}),
        tagNames,
        notes: [...(description.trim() ? [description] : []), ...noteFor(sel.NoteRef, `selection ${selGuid}`)],
        created: attr(sel, 'creationDateTime'),
        updated: attr(sel, 'modifiedDateTime') ?? attr(sel, 'creationDateTime'),
      };
    });
    // Notes referred to from the source: text annotations when they hold a selection, else memos.
    for (const ref of arr(s.NoteRef)) {
      const target = (attr(ref, 'targetGUID') ?? '').replace(/[{}]/g, '').toLowerCase();
      const ranges = annotatedRanges.get(target);
      if (!notes.has(target)) {
        throw new GlossaError(
          'INVALID_INPUT',
          `source "${name}" refers to note ${target}, which the project does not contain.`,
        );
      }
      if (!ranges) continue;
      notesUsed.add(target);
      for (const r of ranges) {
        inText(r.guid, r.start, r.end, [r.start, r.end]);
        raw.push({ guid: r.guid, start: r.start, end: r.end, tagNames: [], notes: [notes.get(target) as string] });
        // (An annotation's author is on its Note: not kept, as QualCoder does not keep it either.)
      }
    }
    const highlights = mergeByRange(raw).map((sel): IncomingHighlight => {
      const u16 = { start: offsets.toUtf16(sel.start), end: offsets.toUtf16(sel.end) };
      return {
        id: sel.guid,
        ...(sel.coder ? { coder: sel.coder } : {}),
        tagNames: sel.tagNames,
        note: sel.notes.join('\n\n'),
        created: sel.created,
        updated: sel.updated,
        position: u16,
        quote: { exact: content.slice(u16.start, u16.end) },
      };
    });
    const description = text(s.Description).trim();
    return { guid, name, text: content, ...(description ? { description } : {}), highlights };
  });
  // REFI-QDA 1.5 §7: say what is not taken over.
  for (const guid of notes.keys()) if (!notesUsed.has(guid)) memosLeftOut++;
  const count = (parent: string, child: string) => arr((root[parent] as Node | undefined)?.[child]).length;
  const notImported = [
    [count('Sets', 'Set'), 'set'],
    [count('Cases', 'Case'), 'case'],
    [count('Variables', 'Variable'), 'variable'],
    [count('Links', 'Link'), 'link'],
    [count('Graphs', 'Graph'), 'graph'],
    [memosLeftOut, 'memo or journal note'],
  ]
    .filter(([n]) => (n as number) > 0)
    .map(([n, what]) => plural(n as number, what as string));
  const kinds = {
    PDFSource: 'PDF source',
    PictureSource: 'picture source',
    AudioSource: 'audio source',
    VideoSource: 'video source',
  };
  for (const [kind, what] of Object.entries(kinds)) {
    const n = arr(sourcesNode[kind]).length;
    if (n > 0) notImported.push(plural(n, what));
  }
  return { name: attr(root, 'name') ?? 'REFI-QDA project', codes, sources, skippedSources, notImported };
}
