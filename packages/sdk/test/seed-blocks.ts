// The seed document's code blocks, taken verbatim from a copy of the document, and turned into
// files for a fresh project: the block's import line points at `@switchyard/sdk` (a block without
// one gets it), and the test's own lines around the block give it input and print its result.
import { readFileSync } from 'node:fs';

export interface SeedBlock {
  /** Position among all fenced blocks of the document, from 0. */
  index: number;
  language: string;
  code: string;
}

export const SEED_DOCUMENT = new URL(
  './fixtures/cloud-inference-implementation.md.txt',
  import.meta.url,
);

export function seedBlocks(): SeedBlock[] {
  const markdown = readFileSync(SEED_DOCUMENT, 'utf8');
  return [...markdown.matchAll(/```(\w*)\n([\s\S]*?)```/g)].map((match, index) => ({
    index,
    language: match[1] ?? '',
    code: match[2] ?? '',
  }));
}

/** The import added to blocks that use the services without importing them. */
const SDK_IMPORT =
  "import { cloudConfigService, cloudInferenceService, inferenceService, type ChatCompletionRequest, type CloudConfig, type CloudProvider } from '@switchyard/sdk';";

const SEED_IMPORT = /^import \{([^}]*)\} from '\.\/services\/[^']+';$/m;
const SEED_COMPONENT_IMPORT = /^import \{([^}]*)\} from '\.\/components\/[^']+';$/m;

/**
 * The block with its import line changed: the services' to `@switchyard/sdk`, a component's to
 * `@switchyard/sdk/react`. A block that imports nothing gets the services' import.
 */
export function withSdkImport(code: string): string {
  if (SEED_COMPONENT_IMPORT.test(code))
    return code.replace(
      SEED_COMPONENT_IMPORT,
      (_line, names: string) => `import {${names}} from '@switchyard/sdk/react';`,
    );
  if (SEED_IMPORT.test(code))
    return code.replace(
      SEED_IMPORT,
      (_line, names: string) => `import {${names}} from '@switchyard/sdk';`,
    );
  return `${SDK_IMPORT}\n${code}`;
}

/** The line a run prints for the test to read: `RESULT <json>`. */
export const result = (expression: string) =>
  `console.log('RESULT', JSON.stringify(${expression}));`;

export interface BlockFile {
  /** Lines placed after the import and before the block (its input). */
  prelude?: string;
  /** The block itself, or a prefix of it. */
  code: string;
  /** Lines after the block (what it produced, printed). */
  epilogue?: string;
}

/** A seed object literal as a module that type-checks it as `type` and exports it as `block`. */
export function literalFile(block: SeedBlock, type: string): string {
  return [SDK_IMPORT, `export const block: ${type} = ${block.code.trim()};`, ''].join('\n');
}

export function blockFile(file: BlockFile): string {
  const code = withSdkImport(file.code);
  const lines = code.split('\n');
  const importEnd = lines.findIndex((line) => !line.startsWith('import '));
  const imports = lines.slice(0, importEnd);
  const body = lines.slice(importEnd);
  return [
    ...imports,
    ...(file.prelude ? [file.prelude] : []),
    ...body,
    ...(file.epilogue ? [file.epilogue] : []),
    '',
  ].join('\n');
}
