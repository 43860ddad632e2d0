import type { Agreement } from './agreement';
/** A code in the codebook. `id` is stable and what highlights store; `name` is what people read. */
export interface Tag {
  id: string;
  name: string;
  color: string;
  /** The code this one is nested under; absent or null at the top level. */
  parent?: string | null;
  /** Definition, when to use, when not to, an example: Markdown. */
  description?: string;
  /** A single key that applies the code in the reader (besides 1–9 by position). */
  shortcut?: string;
}

/** The codebook in order: a parent comes before its children's display, but order is the list's. */
export interface Codebook {
  tags: Tag[];
}

/** A dated Markdown memo: about a document, about a code, or the project's research journal. */
export interface Memo {
  text: string;
  created: string;
  updated: string;
}

export type MemoTarget =
  { kind: 'project' } | { kind: 'code'; tagId: string } | { kind: 'document'; documentId: string };

/** A Passages query kept by name, to be run again. */
export interface SavedQuery {
  id: string;
  name: string;
  query: string;
  documentIds?: string[];
  attributes?: Record<string, string>;
}

export type ParagraphKind = 'body' | 'caption' | 'heading' | 'list-item' | 'quote';

/** A paragraph as a span of the document's normalized text; `n` counts from 1 like the ¶ gutter. */
export interface Paragraph {
  n: number;
  start: number;
  end: number;
  kind: ParagraphKind;
  /** Heading level (1–6) for headings; nesting depth (1…) for list items. */
  level?: number;
  /** The page it starts on, for documents imported from PDF, so quotes can be cited by page. */
  page?: number;
}

/** W3C Web Annotation selectors; offsets are UTF-16 code units on the normalized text. */
export interface TextPositionSelector {
  type: 'TextPositionSelector';
  start: number;
  end: number;
}

export interface TextQuoteSelector {
  type: 'TextQuoteSelector';
  exact: string;
  prefix: string;
  suffix: string;
}

export interface HighlightTarget {
  position: TextPositionSelector;
  quote: TextQuoteSelector;
}

export interface Highlight {
  id: string;
  documentId: string;
  tags: string[];
  note: string;
  created: string;
  updated: string;
  /** True when the passage could no longer be found after the text changed; kept, listed, exported. */
  orphan?: boolean;
  /**
   * Set when a text change moved the highlight to a passage that only resembles the one it was
   * made on: `was` is the quote it had. It stays until the researcher accepts the new passage,
   * adjusts it, or makes it an orphan, so a highlight never drifts to other words unseen.
   */
  approximate?: { was: string };
  /** Who made it, when the library names its coder or the highlight came from another coder's project. */
  coder?: string;
  target: HighlightTarget;
}

/** Where a title came from, so the UI never passes off a derived title as the publisher's. */
export type TitleSource = 'metadata' | 'derived' | 'user';

export interface DocumentMeta {
  id: string;
  title: string;
  titleSource: TitleSource;
  /** How a derived title was made, in words a reader can check. */
  titleNote?: string;
  date?: string;
  /**
   * Where the date came from when it is not a publication date: `file` for the date a file was
   * created (a Word document's properties), which says when someone made the file, not when the
   * text appeared.
   */
  dateSource?: 'file';
  dateline?: string;
  /** Where the text came from: the publisher or site when the file says, else the file name. */
  source: string;
  author?: string;
  /** The imported file's name and format, kept for provenance. */
  fileName?: string;
  format?: ImportFormat;
  /** Pages in the original, for PDFs. */
  pageCount?: number;
  added: string;
  /** Set while the document is in the trash. */
  trashed?: string;
  /** Case attributes a researcher gives a document (country, outlet, period…). */
  attributes?: Record<string, string>;
}

export type ImportFormat = 'txt' | 'md' | 'html' | 'pdf' | 'docx' | 'paste';

export interface DocumentSummary extends DocumentMeta {
  highlightCount: number;
  /** Highlights per tag id (a highlight with two tags counts for both). */
  tagCounts: Record<string, number>;
}

export interface DocumentView {
  meta: DocumentMeta;
  /** Counts the document's changes; a change names the revision it was made on (see the contract). */
  revision: number;
  text: string;
  paragraphs: Paragraph[];
  highlights: Highlight[];
}

export type NoticeLevel = 'info' | 'warning' | 'error';

/** Something the user must be told about that happened outside any one request (e.g. a file kept aside). */
export interface Notice {
  id: string;
  level: NoticeLevel;
  message: string;
  time: string;
}

/** What importing one file did: a document added (or found already there), or the reason it was not. */
export interface ImportOutcome {
  fileName: string;
  id?: string;
  title?: string;
  /** False when the same text was already in the library (the existing document's id is given). */
  added?: boolean;
  error?: string;
  code?: string;
  /** For annotation and project files (W3C, REFI-QDA): what the import added, in words. */
  summary?: string;
  highlights?: number;
}

/** One place a library search found its words. */
export interface SearchHit {
  documentId: string;
  title: string;
  /** Where the words were found: the text (a paragraph), the title, or a highlight's note. */
  field: 'text' | 'title' | 'note';
  /** The ¶ number for text hits and notes. */
  n?: number;
  highlightId?: string;
  /** Offsets of the match in the document text, for text hits, so the reader can go to it. */
  start?: number;
  end?: number;
  /** A short window of text around the match, and the match's place inside it. */
  context: string;
  matchStart: number;
  matchEnd: number;
}

/** Something changed in the library: open clients refresh what it names. */
export interface ChangeEvent {
  /** The document that changed (its highlights, text or details), if one did. */
  documentId?: string;
  /** The document's revision after the change. */
  revision?: number;
  /**
   * What the change did to the document's highlights, so a client showing the previous revision
   * applies it in place; anything else (a gap in revisions, `reload`) means reading it again.
   */
  put?: Highlight[];
  del?: string[];
  /** The document's text or details changed: read it again. */
  reload?: boolean;
  /** With `reload`: only the details (title, date, attributes…) changed; the text is as it was. */
  details?: boolean;
  /** True when the document list or the codebook changed. */
  library?: boolean;
  /** The team project's sync started or ended: its status is worth reading again. */
  project?: boolean;
}

/** What applying a codebook change did to the highlights. */
export interface AppliedChange {
  documents: number;
  highlights: number;
  deleted: number;
  /** Highlights changed by someone else since, left as they are (undo never overwrites newer work). */
  skipped: number;
}

/** The answer to every codebook change. */
export interface CodebookResult {
  codebook: Codebook;
  /** The journaled change: what undo and redo name. */
  change: { id: string; label: string };
  applied: AppliedChange;
  /** The code created or changed, if one was. */
  tag?: Tag;
}

/** What deleting a code would do. */
export interface TagUsage {
  tag: Tag;
  highlights: number;
  documents: number;
  /** Highlights that have no other code and would be deleted with it. */
  emptied: number;
  children: number;
}

/** One highlight a Passages query found, with where it is and the words around it. */
export interface Passage {
  highlight: Highlight;
  title: string;
  date?: string;
  /** The ¶ it starts in. */
  n: number;
  before: string;
  after: string;
  /** For `A overlapping B`: the B highlights it shares characters with. */
  overlaps?: string[];
}

/** One page of a Passages query's results, in library and reading order. */
export interface PassagePage {
  /** How many passages the query finds in all. */
  total: number;
  offset: number;
  passages: Passage[];
}

export interface Memos {
  project?: Memo;
  codes: Record<string, Memo>;
  documents: Record<string, Memo>;
}

/** A table of counts: one row per code, one column per group (a document or an attribute value). */
export interface FrequencyTable {
  /** How columns were grouped: by document, or by the values of one attribute. */
  by: 'document' | { attribute: string };
  groups: { key: string; label: string; date?: string; documents: number; chars: number }[];
  /** [code][group]: highlights carrying the code, and characters they cover (each counted once). */
  highlights: number[][];
  chars: number[][];
}

/** Co-occurrence of codes; see shared/analysis.ts for the exact definitions. */
export interface Cooccurrence {
  /** [i][j]: highlights that carry both codes (diagonal: highlights with the code). */
  both: number[][];
  /** [i][j]: pairs of different highlights, one with each code, that share at least one character. */
  overlaps: number[][];
  /** [i][j]: characters covered by a highlight with code i and by one with code j. */
  chars: number[][];
}

export interface Analysis {
  /** Code ids, in codebook order: the rows of every table. */
  tags: string[];
  frequencies: FrequencyTable;
  cooccurrence: Cooccurrence;
}

/** Agreement between coders (getAgreement): each code, then all of them together. */
export interface AgreementReport {
  coders: string[];
  /** Documents compared: those where any of the coders made a highlight (or those asked for). */
  documents: number;
  codes: (Agreement & { tagId: string; name: string })[];
  /** Every code's characters pooled: a character counts once per code. */
  overall: Agreement;
}
