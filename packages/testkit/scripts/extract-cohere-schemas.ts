// Extracts the Cohere v2 chat schemas the testkit validates against (and every schema they
// reference) from Cohere's official OpenAPI document into `src/cohere-chat-schemas.json`,
// so tests run from a fresh clone that does not have the 1 MB spec.
//
//   pnpm --filter @switchyard/adapters exec tsx scripts/extract-cohere-schemas.ts [path/to/cohere-openapi.yaml]
//
// Besides named schemas it lifts two inline ones under names of their own: the `/v2/chat`
// request body (`ChatRequestV2`) and the error body every status shares (`ErrorBody`).
// The spec's SHA-256 must match the one recorded in SOURCES.md beside the specs folder.
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';

const NAMED_ROOTS = [
  'ChatResponseV2',
  'StreamedChatResponseV2',
  'ListModelsResponse',
  'EmbedByTypeResponse',
] as const;
const STREAM_UNION = 'StreamedChatResponseV2';

/** Documentation and code-generator keys, dropped to keep the committed file small; they never affect validation. */
const DROPPED_KEY = /^(x-.*|example|examples|description)$/;

const REF_PREFIX = '#/components/schemas/';
const DEFAULT_SPEC = '/work/shared/reference/specs/cohere-openapi.yaml';
const SPEC_FILE = 'cohere-openapi.yaml';
const OUTPUT = resolve(dirname(fileURLToPath(import.meta.url)), '../src/cohere-chat-schemas.json');

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

function isObject(value: Json | undefined): value is { [key: string]: Json } {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function at(value: Json | undefined, ...path: string[]): Json | undefined {
  let current = value;
  for (const key of path) current = isObject(current) ? current[key] : undefined;
  return current;
}

/** The SHA-256 and source recorded for the spec file in SOURCES.md, if that file is beside the specs. */
function recordedProvenance(specPath: string): { sha256: string; source: string } | undefined {
  let sources: string;
  try {
    sources = readFileSync(join(dirname(specPath), '..', 'SOURCES.md'), 'utf8');
  } catch {
    return undefined;
  }
  for (const line of sources.split('\n')) {
    const cells = line.split('|').map((cell) => cell.trim());
    if (cells[1] === SPEC_FILE && cells[3] && cells[4])
      return { sha256: cells[3], source: cells[4] };
  }
  return undefined;
}

function stripDocumentation(value: Json): Json {
  if (Array.isArray(value)) return value.map(stripDocumentation);
  if (!isObject(value)) return value;
  const result: { [key: string]: Json } = {};
  for (const key of Object.keys(value).sort()) {
    // `description` is only dropped where it is a keyword, never as a property name
    if (DROPPED_KEY.test(key) && !(key === 'description' && isObject(value[key]))) continue;
    result[key] = stripDocumentation(value[key] as Json);
  }
  return result;
}

function collectReferences(value: Json, found: Set<string>): void {
  if (Array.isArray(value)) {
    for (const item of value) collectReferences(item, found);
    return;
  }
  if (!isObject(value)) return;
  for (const [key, item] of Object.entries(value)) {
    if (key === '$ref' && typeof item === 'string') {
      if (!item.startsWith(REF_PREFIX)) throw new Error(`unsupported reference ${item}`);
      found.add(item.slice(REF_PREFIX.length));
    } else collectReferences(item, found);
  }
}

function closure(roots: Json[], schemas: { [name: string]: Json }): string[] {
  const included = new Set<string>();
  const pending = new Set<string>();
  for (const root of roots) collectReferences(root, pending);
  const queue = [...pending];
  while (queue.length > 0) {
    const name = queue.pop()!;
    if (included.has(name)) continue;
    const schema = schemas[name];
    if (schema === undefined) throw new Error(`schema ${name} is referenced but not defined`);
    included.add(name);
    const references = new Set<string>();
    collectReferences(schema, references);
    for (const reference of references) if (!included.has(reference)) queue.push(reference);
  }
  return [...included].sort();
}

function main(): void {
  const specPath = resolve(process.argv[2] ?? DEFAULT_SPEC);
  const bytes = readFileSync(specPath);
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  const recorded = recordedProvenance(specPath);
  if (recorded && recorded.sha256 !== sha256) {
    throw new Error(`${specPath} has SHA-256 ${sha256}, but SOURCES.md records ${recorded.sha256}`);
  }
  const document = parse(bytes.toString('utf8')) as Json;
  const all = at(document, 'components', 'schemas');
  if (!isObject(all)) throw new Error(`${specPath} has no components.schemas`);

  const chatRequest = at(
    document,
    'paths',
    '/v2/chat',
    'post',
    'requestBody',
    'content',
    'application/json',
    'schema',
  );
  const embedRequest = at(
    document,
    'paths',
    '/v2/embed',
    'post',
    'requestBody',
    'content',
    'application/json',
    'schema',
  );
  const errorBody = at(
    document,
    'components',
    'responses',
    'BadRequest',
    'content',
    'application/json',
    'schema',
  );
  const mapping = at(all, STREAM_UNION, 'discriminator', 'mapping');
  if (
    !isObject(chatRequest) ||
    !isObject(embedRequest) ||
    !isObject(errorBody) ||
    !isObject(mapping)
  ) {
    throw new Error(
      `${specPath} lacks the /v2/chat request body, the BadRequest body or the ${STREAM_UNION} mapping`,
    );
  }
  // the stream union's mapping names events (citations) its oneOf leaves out
  const streamEvents: Json[] = Object.values(mapping).map((reference) => ({ $ref: reference }));
  const roots: Json[] = [
    ...NAMED_ROOTS.map((name) => ({ $ref: `${REF_PREFIX}${name}` })),
    chatRequest,
    embedRequest,
    ...streamEvents,
  ];
  const names = closure(roots, all);
  const schemas: { [name: string]: Json } = {};
  for (const name of names) schemas[name] = stripDocumentation(all[name] as Json);
  schemas.ChatRequestV2 = stripDocumentation(chatRequest);
  schemas.EmbedRequestV2 = stripDocumentation(embedRequest);
  schemas.ErrorBody = stripDocumentation(errorBody);

  const output = {
    provenance: {
      file: SPEC_FILE,
      source: recorded?.source ?? 'unknown (SOURCES.md not found beside the specs folder)',
      sha256,
      openapi: at(document, 'openapi') ?? null,
      roots: [
        ...NAMED_ROOTS,
        'ChatRequestV2 (/v2/chat request body)',
        'EmbedRequestV2 (/v2/embed request body)',
        'ErrorBody (components.responses.BadRequest)',
      ],
      droppedKeys: DROPPED_KEY.source,
      extractedBy: 'packages/testkit/scripts/extract-cohere-schemas.ts',
    },
    components: { schemas },
  };
  writeFileSync(OUTPUT, `${JSON.stringify(output, null, 2)}\n`);
  process.stdout.write(`wrote ${names.length + 3} schemas to ${OUTPUT}\n`);
}

main();
