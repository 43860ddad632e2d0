export type ErrorCode =
  | 'INVALID_INPUT'
  | 'NOT_FOUND'
  | 'CONFLICT'
  | 'LOCKED'
  | 'CORRUPT_FILE'
  | 'UNSUPPORTED'
  | 'FORBIDDEN'
  /** The disk refused a write (full, read-only, no permission); nothing was changed. */
  | 'STORAGE'
  /** The library was opened read-only (a read-only disk or folder): reading works, changes do not. */
  | 'READ_ONLY'
  /** A team project's server could not be reached, refused or failed; nothing here was changed or lost. */
  | 'UNAVAILABLE'
  | 'INTERNAL';

/** An error meant for the person using Glossa: `message` is shown as is, `code` is for programs. */
export class GlossaError extends Error {
  readonly code: ErrorCode;

  constructor(code: ErrorCode, message: string) {
    super(message);
    this.name = 'GlossaError';
    this.code = code;
  }
}

export interface ErrorInfo {
  code: ErrorCode;
  message: string;
}

export function toErrorInfo(error: unknown): ErrorInfo {
  if (error instanceof GlossaError) return { code: error.code, message: error.message };
  const message = error instanceof Error ? error.message : String(error);
  return { code: 'INTERNAL', message: `Unexpected error: ${message}` };
}
