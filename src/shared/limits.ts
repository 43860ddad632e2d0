// Every limit Glossa enforces, declared once. The contract's schemas, the store's checks on write
// and on read, the importers and the CLI all take their numbers from here, so no edge can accept
// what another edge (or the next read) would refuse.

/** Ids (documents, highlights, tags): safe as file names and in URLs. */
export const ID_PATTERN = /^[A-Za-z0-9_-]+$/;
export const MAX_ID_LENGTH = 100;

export const MAX_NOTE_CHARS = 20_000;
export const MAX_TAGS_PER_HIGHLIGHT = 50;
export const MAX_TAG_NAME_CHARS = 100;
export const MAX_TAGS_IN_CODEBOOK = 5_000;
export const MAX_TAG_DESCRIPTION_CHARS = 20_000;
export const MAX_MEMO_CHARS = 200_000;
export const MAX_QUERY_CHARS = 2_000;
/** Passages per page of a query's results (the first page is 500). */
export const MAX_PASSAGE_PAGE = 5_000;
export const DEFAULT_PASSAGE_PAGE = 500;
export const MAX_ATTRIBUTES = 50;
export const MAX_ATTRIBUTE_KEY_CHARS = 60;
export const MAX_SAVED_QUERIES = 500;
export const MAX_META_CHARS = 500;
/** ISO timestamps are at most this long; anything longer is not one. */
export const MAX_TIMESTAMP_CHARS = 40;

/** The largest file any importer reads, and the largest text a project may carry per source. */
export const MAX_IMPORT_BYTES = 50 * 1024 * 1024;
export const MAX_IMPORT_LABEL = '50 MB';
/** The most a zip (.docx, .qdpx) may inflate to in total, counted as it inflates. */
export const MAX_UNZIPPED_BYTES = 500 * 1024 * 1024;
/** Inflated / compressed above this is not a document but a bomb (honest XML stays near 10–30×). */
export const MAX_COMPRESSION_RATIO = 200;
export const MAX_ZIP_ENTRIES = 10_000;
/** A document's text, in UTF-16 code units (a 50 MB file of ASCII). */
export const MAX_TEXT_CHARS = 50 * 1024 * 1024;
export const MAX_PARAGRAPH_EDIT_CHARS = 1_000_000;
export const MAX_PASTE_CHARS = 10_000_000;
export const MAX_SEARCH_QUERY_CHARS = 500;

/** Base64 of at most MAX_IMPORT_BYTES, with room for the encoding's growth. */
export const MAX_FILE_BASE64 = Math.ceil(MAX_IMPORT_BYTES / 3) * 4;

/** A coder's name: who made a highlight, in a team project or an imported one. */
export const MAX_CODER_CHARS = 100;
