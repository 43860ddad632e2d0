/** A code in the codebook. `id` is stable and what highlights store; `name` is what people read. */
export interface Tag {
  id: string;
  name: string;
  color: string;
}

export interface Codebook {
  tags: Tag[];
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
  /** True when the document list or the codebook changed. */
  library?: boolean;
}
