import { GlossaError } from './errors';

/**
 * Refuses XML that declares a document type. No format Glossa reads (REFI-QDA, Office core
 * properties) uses one, and a DOCTYPE is how entity expansion attacks ("billion laughs") and
 * external entities get in; refusing it up front is simpler and safer than taming it, and the
 * person learns which file and why. Linear scan, no backtracking.
 */
export function refuseDoctype(xml: string, fileName: string): void {
  if (/<!(?:DOCTYPE|ENTITY)/i.test(xml)) {
    throw new GlossaError(
      'INVALID_INPUT',
      `${fileName} declares a document type (<!DOCTYPE>); Glossa does not read XML with DTDs or entities.`,
    );
  }
}
