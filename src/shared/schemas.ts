import { z } from 'zod';
import {
  ID_PATTERN,
  MAX_ID_LENGTH,
  MAX_META_CHARS,
  MAX_NOTE_CHARS,
  MAX_ATTRIBUTE_KEY_CHARS,
  MAX_ATTRIBUTES,
  MAX_CODER_CHARS,
  MAX_MEMO_CHARS,
  MAX_TAG_DESCRIPTION_CHARS,
  MAX_TAG_NAME_CHARS,
  MAX_TAGS_PER_HIGHLIGHT,
  MAX_TEXT_CHARS,
  MAX_TIMESTAMP_CHARS,
} from './limits';
import { RESERVED_KEYS } from './reserved-keys';

// Shapes shared by the API contract (input from any front end) and the storage checks (input from
// disk, and everything the store is asked to write): a highlight that crosses any edge is checked
// against the same definition, so the store never writes what it would refuse to read.

export const idSchema = z
  .string()
  .min(1, 'must not be empty')
  .max(MAX_ID_LENGTH, 'is too long')
  .regex(ID_PATTERN, 'may only hold letters, digits, "-" and "_"');

/** What idSchema accepts, as a plain test (for checks that run per highlight on every load). */
export const isId = (s: unknown): s is string =>
  typeof s === 'string' && s.length >= 1 && s.length <= MAX_ID_LENGTH && ID_PATTERN.test(s);

/** An ISO 8601 timestamp as Glossa writes them (`new Date().toISOString()`), or any other parsable one. */
const parsableTimestamp = (s: string) => /^\d{4}-\d{2}-\d{2}/.test(s) && !Number.isNaN(Date.parse(s));

export const timestampSchema = z
  .string()
  .min(1, 'must not be empty')
  .max(MAX_TIMESTAMP_CHARS, 'is not a timestamp')
  .refine(parsableTimestamp, 'is not an ISO 8601 timestamp');

/** What timestampSchema accepts, as a plain test. */
export const isTimestamp = (s: unknown): s is string =>
  typeof s === 'string' && s.length >= 1 && s.length <= MAX_TIMESTAMP_CHARS && parsableTimestamp(s);

export const noteSchema = z
  .string()
  .max(MAX_NOTE_CHARS, `is longer than ${MAX_NOTE_CHARS.toLocaleString('en')} characters`);

export const offsetSchema = z
  .number()
  .int('must be a whole number')
  .min(0, 'must not be negative')
  .max(MAX_TEXT_CHARS, 'is too large');

export const tagListSchema = z
  .array(idSchema)
  .min(1, 'needs at least one tag')
  .max(MAX_TAGS_PER_HIGHLIGHT, 'has too many tags');

export const coderSchema = z
  .string()
  .trim()
  .min(1, 'must not be empty')
  .max(MAX_CODER_CHARS, `must be at most ${MAX_CODER_CHARS} characters`);

export const highlightSchema = z.object({
  id: idSchema,
  documentId: idSchema,
  tags: tagListSchema,
  note: noteSchema,
  created: timestampSchema,
  updated: timestampSchema,
  orphan: z.boolean().optional(),
  approximate: z.strictObject({ was: z.string().max(MAX_TEXT_CHARS) }).optional(),
  coder: coderSchema.optional(),
  target: z.object({
    position: z.object({
      type: z.literal('TextPositionSelector'),
      start: offsetSchema,
      end: offsetSchema,
    }),
    quote: z.object({
      type: z.literal('TextQuoteSelector'),
      exact: z.string().max(MAX_TEXT_CHARS),
      prefix: z.string().max(1000),
      suffix: z.string().max(1000),
    }),
  }),
});

export const tagNameSchema = z
  .string()
  .trim()
  .min(1, 'must not be empty')
  .max(MAX_TAG_NAME_CHARS, 'is too long')
  // eslint-disable-next-line no-control-regex -- refusing control characters is the point
  .refine((n) => !/[\u0000-\u001f\u007f]/.test(n), 'must not hold control characters');
export const colorSchema = z.string().regex(/^#[0-9a-fA-F]{6}$/, 'must be a colour written #rrggbb');
export const tagDescriptionSchema = z
  .string()
  .max(MAX_TAG_DESCRIPTION_CHARS, `is longer than ${MAX_TAG_DESCRIPTION_CHARS.toLocaleString('en')} characters`);
/** One printable key that is not a digit (1–9 apply codes by position) nor a reader key. */
export const shortcutSchema = z
  .string()
  .regex(/^[a-z]$/i, 'must be one letter')
  .refine((k) => !RESERVED_KEYS.includes(k.toLowerCase()), {
    message: `must not be one of the reader's own keys (${RESERVED_KEYS.join(', ')})`,
  });

export const tagSchema = z.object({
  id: idSchema,
  name: tagNameSchema,
  color: colorSchema,
  parent: idSchema.nullable().optional(),
  description: tagDescriptionSchema.optional(),
  shortcut: z.string().max(1).optional(),
});

/** Case attributes: names and values people type; checked key by key so a refusal names the problem. */
export const attributesSchema = z
  .record(
    z.string(),
    z.string().trim().max(MAX_META_CHARS, `an attribute value is longer than ${MAX_META_CHARS} characters`),
  )
  .superRefine((record, ctx) => {
    const keys = Object.keys(record);
    if (keys.length > MAX_ATTRIBUTES)
      ctx.addIssue({ code: 'custom', message: `must have at most ${MAX_ATTRIBUTES} attributes` });
    for (const key of keys) {
      if (!key.trim()) ctx.addIssue({ code: 'custom', message: 'an attribute name must not be empty' });
      else if (key.length > MAX_ATTRIBUTE_KEY_CHARS)
        ctx.addIssue({ code: 'custom', message: `the attribute name "${key.slice(0, 20)}…" is too long` });
    }
  });

export const memoSchema = z.object({
  text: z.string().max(MAX_MEMO_CHARS),
  created: timestampSchema,
  updated: timestampSchema,
});

export const metaTextSchema = (max = MAX_META_CHARS) => z.string().max(max, `is longer than ${max} characters`);
