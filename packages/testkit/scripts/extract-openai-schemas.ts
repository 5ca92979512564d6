// Extracts the OpenAI schemas the testkit validates against (and every schema they reference)
// from OpenAI's official OpenAPI document: Chat Completions into `src/openai-chat-schemas.json`,
// the Responses API into `src/openai-responses-schemas.json`, so tests run from a fresh clone
// that does not have the 3 MB spec.
//
//   pnpm --filter @switchyard/testkit exec tsx scripts/extract-openai-schemas.ts [path/to/openai-openapi.yaml]
//
// The spec's SHA-256 must match the one recorded in SOURCES.md beside the specs folder, so the
// committed JSON always names exactly the document it came from.
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { format, resolveConfig } from 'prettier';
import { parse } from 'yaml';

/** Each output file and the schemas it starts from. */
const EXTRACTIONS = [
  {
    output: 'openai-chat-schemas.json',
    roots: [
      'CreateChatCompletionResponse',
      'CreateChatCompletionStreamResponse',
      'ListModelsResponse',
      'ErrorResponse',
    ],
  },
  {
    output: 'openai-responses-schemas.json',
    roots: ['Response', 'ResponseStreamEvent', 'ResponseItemList', 'ErrorResponse'],
  },
] as const;

/** Documentation-only keys, dropped to keep the committed file small; they never affect validation. */
const DROPPED_KEYS = new Set(['x-oaiMeta', 'example', 'examples']);

const REF_PREFIX = '#/components/schemas/';
const DEFAULT_SPEC = '/work/shared/reference/specs/openai-openapi.yaml';
const SOURCE_DIRECTORY = resolve(dirname(fileURLToPath(import.meta.url)), '../src');

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

function isObject(value: Json | undefined): value is { [key: string]: Json } {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
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
    if (cells[1] === 'openai-openapi.yaml' && cells[3] && cells[4])
      return { sha256: cells[3], source: cells[4] };
  }
  return undefined;
}

function stripDocumentation(value: Json): Json {
  if (Array.isArray(value)) return value.map(stripDocumentation);
  if (!isObject(value)) return value;
  const result: { [key: string]: Json } = {};
  for (const key of Object.keys(value).sort()) {
    if (DROPPED_KEYS.has(key)) continue;
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

function closure(schemas: { [name: string]: Json }, roots: readonly string[]): string[] {
  const included = new Set<string>();
  const pending: string[] = [...roots];
  while (pending.length > 0) {
    const name = pending.pop()!;
    if (included.has(name)) continue;
    const schema = schemas[name];
    if (schema === undefined) throw new Error(`schema ${name} is referenced but not defined`);
    included.add(name);
    const references = new Set<string>();
    collectReferences(schema, references);
    for (const reference of references) if (!included.has(reference)) pending.push(reference);
  }
  return [...included].sort();
}

async function main(): Promise<void> {
  const specPath = resolve(process.argv[2] ?? DEFAULT_SPEC);
  const bytes = readFileSync(specPath);
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  const recorded = recordedProvenance(specPath);
  if (recorded && recorded.sha256 !== sha256) {
    throw new Error(`${specPath} has SHA-256 ${sha256}, but SOURCES.md records ${recorded.sha256}`);
  }
  const document = parse(bytes.toString('utf8')) as Json;
  if (
    !isObject(document) ||
    !isObject(document.components) ||
    !isObject(document.components.schemas)
  ) {
    throw new Error(`${specPath} has no components.schemas`);
  }
  for (const extraction of EXTRACTIONS)
    await extract(document, document.components.schemas, extraction, {
      sha256,
      source: recorded?.source,
    });
}

async function extract(
  document: { [key: string]: Json },
  all: { [name: string]: Json },
  extraction: (typeof EXTRACTIONS)[number],
  spec: { sha256: string; source: string | undefined },
): Promise<void> {
  const output = join(SOURCE_DIRECTORY, extraction.output);
  const { sha256 } = spec;
  const info = isObject(document.info) ? document.info : {};
  const names = closure(all, extraction.roots);
  const schemas: { [name: string]: Json } = {};
  for (const name of names) schemas[name] = stripDocumentation(all[name] as Json);

  const extracted = {
    provenance: {
      file: 'openai-openapi.yaml',
      source: spec.source ?? 'unknown (SOURCES.md not found beside the specs folder)',
      sha256,
      openapi: document.openapi ?? null,
      infoVersion: info.version ?? null,
      roots: [...extraction.roots],
      droppedKeys: [...DROPPED_KEYS],
      extractedBy: 'packages/testkit/scripts/extract-openai-schemas.ts',
    },
    components: { schemas },
  };
  // Written as the repository's formatter would, so `pnpm format:check` stays clean.
  const prettierOptions = (await resolveConfig(output)) ?? {};
  writeFileSync(
    output,
    await format(JSON.stringify(extracted), { ...prettierOptions, filepath: output }),
  );
  process.stdout.write(`wrote ${names.length} schemas to ${output}\n`);
}

await main();
