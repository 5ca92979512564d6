// Prisma's schema engine compiled to WebAssembly: applies and creates migrations without the
// native engine binary, which cannot be downloaded offline. The package has no loader of its own
// that works on Node 20 (its entry imports a .wasm file), so it is instantiated by hand.
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import {
  bindMigrationAwareSqlAdapterFactory,
  type SqlMigrationAwareDriverAdapterFactory,
} from '@prisma/driver-adapter-utils';
import type * as EngineRuntime from '@prisma/schema-engine-wasm/schema_engine_bg';
import type { SchemaEngine } from '@prisma/schema-engine-wasm/schema_engine_bg';

type EngineModule = typeof EngineRuntime;

/** The part of the WebAssembly global used here (Node's type definitions do not declare it). */
interface WebAssemblyApi {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (
    module: object,
    imports: Record<string, Record<string, unknown>>,
  ) => { exports: Record<string, unknown> };
}
const webAssembly = (globalThis as unknown as { WebAssembly: WebAssemblyApi }).WebAssembly;

let engineModule: Promise<EngineModule> | undefined;

async function instantiate(): Promise<EngineModule> {
  const runtime = await import('@prisma/schema-engine-wasm/schema_engine_bg');
  const require = createRequire(import.meta.url);
  const wasmPath = join(
    dirname(require.resolve('@prisma/schema-engine-wasm/schema_engine_bg')),
    'schema_engine_bg.wasm',
  );
  const bytes = await readFile(wasmPath);
  const imports: Record<string, unknown> = { ...runtime };
  // The engine arms ~10 s timers; unref them so a one-shot command exits as soon as it is done.
  for (const [name, value] of Object.entries(runtime)) {
    if (!name.startsWith('__wbg_setTimeout_') || typeof value !== 'function') continue;
    const setTimer = value as (...args: unknown[]) => unknown;
    imports[name] = (...args: unknown[]) => {
      const timer = setTimer(...args);
      if (
        timer !== null &&
        typeof timer === 'object' &&
        'unref' in timer &&
        typeof timer.unref === 'function'
      )
        (timer as NodeJS.Timeout).unref();
      return timer;
    };
  }
  const instance = new webAssembly.Instance(new webAssembly.Module(bytes), {
    './schema_engine_bg.js': imports,
  });
  const start = instance.exports.__wbindgen_start;
  if (typeof start !== 'function')
    throw new Error('@prisma/schema-engine-wasm has an unexpected shape; check the pinned version');
  (runtime.__wbg_set_wasm as (wasm: unknown) => void)(instance.exports);
  (start as () => void)();
  return runtime;
}

/** Runs `work` with a schema engine connected through `factory`; the engine is freed afterwards. */
export async function withSchemaEngine<T>(
  factory: SqlMigrationAwareDriverAdapterFactory,
  work: (engine: SchemaEngine) => Promise<T>,
): Promise<T> {
  engineModule ??= instantiate();
  const runtime = await engineModule;
  const engine = await runtime.SchemaEngine.new(
    { datamodels: undefined },
    () => {},
    bindMigrationAwareSqlAdapterFactory(factory),
  );
  try {
    return await work(engine);
  } finally {
    engine.free();
  }
}
