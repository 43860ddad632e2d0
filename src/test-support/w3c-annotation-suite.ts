import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv from 'ajv-draft-04';
import addFormats from 'ajv-formats';

/**
 * Runs the MUST assertions of the W3C Web Annotation test suite (github.com/w3c/web-annotation-tests,
 * its `annotations/annotationMusts.test`, `collections/collectionMusts.test` and
 * `collections/pages/pageMusts.test`) against a value, the way the suite's harness does: each
 * assertion is a draft-04 JSON Schema with an `expectedResult`, and its `$ref`s point into the
 * suite's `definitions/`. The suite is W3C's and is not copied into Glossa; give its directory in
 * GLOSSA_W3C_WA_TESTS (a clone of the repository) to run it.
 */
export const W3C_SUITE_DIR = process.env.GLOSSA_W3C_WA_TESTS ?? '';

export type Musts =
  'annotations/annotationMusts.test' | 'collections/collectionMusts.test' | 'collections/pages/pageMusts.test';

export function suiteAvailable(dir = W3C_SUITE_DIR): boolean {
  return dir !== '' && existsSync(join(dir, 'definitions', 'annotations.json'));
}

const read = (path: string) => JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;

export function w3cSuite(dir = W3C_SUITE_DIR): (musts: Musts, value: unknown) => string[] {
  const ajv = new Ajv({ allErrors: true, strict: false, validateSchema: false });
  addFormats(ajv);
  for (const file of readdirSync(join(dir, 'definitions')).filter((f) => f.endsWith('.json'))) {
    ajv.addSchema(read(join(dir, 'definitions', file)));
  }
  const compiled = new Map<string, { check: (v: unknown) => boolean; expected: boolean; message: string }>();
  const assertion = (path: string) => {
    let found = compiled.get(path);
    if (!found) {
      const schema = read(join(dir, path));
      found = {
        check: ajv.compile(schema) as (v: unknown) => boolean,
        expected: schema.expectedResult !== 'invalid',
        message: String(schema.errorMessage ?? schema.title ?? path),
      };
      compiled.set(path, found);
    }
    return found;
  };
  /** The failed MUST assertions, as "file: message"; empty when all pass. */
  return (musts, value) => {
    const { assertions } = read(join(dir, musts)) as { assertions: string[] };
    return assertions.flatMap((path) => {
      const { check, expected, message } = assertion(path);
      return check(value) === expected ? [] : [`${path}: ${message}`];
    });
  };
}
