import Ajv from 'ajv';
import addFormats from 'ajv-formats';

/**
 * The MUST constraints of the W3C Web Annotation Data Model that an export can break, written here
 * as JSON Schemas so they run on every machine (the W3C suite itself is not copied into Glossa;
 * see w3c-annotation-suite.ts to run it). Followed: github.com/w3c/web-annotation-tests at commit
 * adedd9a — annotations/annotationMusts.test (3.1 context, id, type; 3.2 target and body kinds;
 * 3.2.5 not both body and bodyValue; 3.3.1 created/modified; 4.2.4 and 4.2.5 selectors),
 * collections/collectionMusts.test (5.1) and collections/pages/pageMusts.test (5.2).
 */
const CONTEXT = 'http://www.w3.org/ns/anno.jsonld';

const context = {
  anyOf: [{ const: CONTEXT }, { type: 'array', contains: { const: CONTEXT } }],
};
const iri = { type: 'string', format: 'uri' };
const typeIncludes = (name: string) => ({
  anyOf: [{ const: name }, { type: 'array', contains: { const: name } }],
});
const dateTime = { type: 'string', format: 'date-time' };
const oneOrMany = (schema: object) => ({ anyOf: [schema, { type: 'array', minItems: 1, items: schema }] });

const selector = {
  type: 'object',
  required: ['type'],
  properties: {
    type: { type: 'string' },
    refinedBy: { $ref: '#/definitions/selectors' },
  },
  allOf: [
    {
      if: { properties: { type: { const: 'TextQuoteSelector' } } },
      then: {
        required: ['exact'],
        properties: { exact: { type: 'string' }, prefix: { type: 'string' }, suffix: { type: 'string' } },
      },
    },
    {
      if: { properties: { type: { const: 'TextPositionSelector' } } },
      then: {
        required: ['start', 'end'],
        properties: { start: { type: 'integer', minimum: 0 }, end: { type: 'integer', minimum: 0 } },
      },
    },
  ],
};

/** A body or target: an IRI, an External Web Resource (id), a Specific Resource (source), or embedded text. */
const resource = {
  anyOf: [
    iri,
    {
      type: 'object',
      anyOf: [{ required: ['id'] }, { required: ['source'] }, { required: ['value'] }, { required: ['items'] }],
      properties: {
        id: iri,
        source: { anyOf: [iri, { type: 'object', required: ['id'], properties: { id: iri } }] },
        value: { type: 'string' },
        format: { type: 'string', pattern: '^(application|audio|example|image|multipart|text|video)/' },
        selector: { $ref: '#/definitions/selectors' },
        created: dateTime,
        modified: dateTime,
      },
    },
  ],
};

const annotation = {
  type: 'object',
  required: ['@context', 'id', 'type', 'target'],
  properties: {
    '@context': context,
    id: iri,
    type: typeIncludes('Annotation'),
    target: oneOrMany(resource),
    body: oneOrMany(resource),
    bodyValue: { type: 'string' },
    created: dateTime,
    modified: dateTime,
    generated: dateTime,
  },
  not: { required: ['body', 'bodyValue'] },
  definitions: { selectors: oneOrMany(selector) },
};

const page = {
  type: 'object',
  required: ['id', 'type', 'items'],
  properties: {
    id: iri,
    type: typeIncludes('AnnotationPage'),
    items: { type: 'array', items: { type: 'object' } },
    partOf: { anyOf: [iri, { type: 'object', required: ['id'], properties: { id: iri } }] },
    startIndex: { type: 'integer', minimum: 0 },
    next: iri,
    prev: iri,
  },
};

const collection = {
  type: 'object',
  required: ['@context', 'id', 'type'],
  properties: {
    '@context': context,
    id: iri,
    type: typeIncludes('AnnotationCollection'),
    label: { type: 'string' },
    total: { type: 'integer', minimum: 0 },
    first: { anyOf: [iri, page] },
    last: { anyOf: [iri, page] },
  },
};

const ajv = new Ajv({ allErrors: true, strict: false });
addFormats(ajv);
const checks = { annotation: ajv.compile(annotation), page: ajv.compile(page), collection: ajv.compile(collection) };

/** What breaks a MUST, as "path message" lines; empty when the value conforms. */
export function mustProblems(kind: keyof typeof checks, value: unknown): string[] {
  const check = checks[kind];
  return check(value) ? [] : (check.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message}`);
}
