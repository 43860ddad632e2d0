import { z } from 'zod';

// Shapes shared by the API contract (input from any front end) and the storage checks (input from
// disk): a highlight that crosses either edge is checked against the same definition.

export const highlightSchema = z.object({
  id: z
    .string()
    .min(1)
    .max(100)
    .regex(/^[A-Za-z0-9_-]+$/),
  documentId: z.string().min(1),
  tags: z.array(z.string()).min(1),
  note: z.string().max(20_000),
  created: z.string().min(1),
  updated: z.string().min(1),
  orphan: z.boolean().optional(),
  target: z.object({
    position: z.object({
      type: z.literal('TextPositionSelector'),
      start: z.number().int().nonnegative(),
      end: z.number().int().nonnegative(),
    }),
    quote: z.object({
      type: z.literal('TextQuoteSelector'),
      exact: z.string(),
      prefix: z.string(),
      suffix: z.string(),
    }),
  }),
});
