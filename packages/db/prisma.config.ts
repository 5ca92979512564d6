// Prisma CLI configuration. Only `prisma generate` / `validate` / `format` run offline (with
// PRISMA_SCHEMA_ENGINE_BINARY=/bin/false); migrations go through `pnpm db:migrate`, which needs no
// native engine. The datasource URL is for the official CLI where its engine is available.
import { defineConfig } from 'prisma/config';
import { databaseUrlForCli } from './src/env.ts';

export default defineConfig({
  schema: 'prisma/schema.prisma',
  migrations: { path: 'prisma/migrations' },
  datasource: { url: databaseUrlForCli() },
});
