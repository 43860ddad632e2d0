import { GlossaError } from '../../../shared/errors';

/** What to tell the user about a failed call: Glossa's own message, or a plain note for anything else. */
export function errorMessage(error: unknown): string {
  if (error instanceof GlossaError) return error.message;
  return `Something went wrong: ${error instanceof Error ? error.message : String(error)}`;
}
