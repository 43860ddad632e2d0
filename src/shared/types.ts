/** A code in the codebook. `id` is stable and what highlights store; `name` is what people read. */
export interface Tag {
  id: string;
  name: string;
  color: string;
}

export interface Codebook {
  tags: Tag[];
}

export type ParagraphKind = 'body' | 'caption';

/** A paragraph as a span of the document's normalized text; `n` counts from 1 like the ¶ gutter. */
export interface Paragraph {
  n: number;
  start: number;
  end: number;
  kind: ParagraphKind;
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
  source: string;
  added: string;
}

export interface DocumentSummary extends DocumentMeta {
  highlightCount: number;
}

export interface DocumentView {
  meta: DocumentMeta;
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
