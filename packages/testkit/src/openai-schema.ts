// Validates values against OpenAI's official response schemas (extracted from the OpenAPI
// document into `openai-chat-schemas.json` by `scripts/extract-openai-schemas.ts`), so mocks and
// the gateway can prove what they emit is what OpenAI clients expect.
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import schemaDocument from './openai-chat-schemas.json' with { type: 'json' };

export type OpenAISchemaName =
  | 'CreateChatCompletionResponse'
  | 'CreateChatCompletionStreamResponse'
  | 'ListModelsResponse'
  | 'ErrorResponse';

export interface OpenAIValidationResult {
  valid: boolean;
  /** Ajv's error text (`data/choices/0 must have required property 'index'` …); empty when valid. */
  errors: string;
}

const DOCUMENT_ID = 'https://switchyard.dev/schemas/openai-chat.json';

type JsonObject = { [key: string]: unknown };

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * OpenAI's 3.1 document still uses OpenAPI 3.0's `nullable: true` in places, which JSON Schema
 * 2020-12 does not know; rewrite it into the 2020-12 form (null added to the type and enum, or an
 * `anyOf` with null beside a `$ref`) so a `null` the spec allows is accepted.
 */
export function normaliseNullable(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(normaliseNullable);
  if (!isObject(value)) return value;
  const result: JsonObject = {};
  for (const [key, item] of Object.entries(value)) {
    if (key !== 'nullable') result[key] = normaliseNullable(item);
  }
  if (value.nullable !== true) return result;
  if (typeof result.type === 'string') result.type = [result.type, 'null'];
  else if (Array.isArray(result.type) && !result.type.includes('null'))
    result.type = [...(result.type as unknown[]), 'null'];
  else if (typeof result.$ref === 'string') {
    const { $ref, ...rest } = result;
    return { ...rest, anyOf: [{ $ref }, { type: 'null' }] };
  }
  if (Array.isArray(result.enum) && !result.enum.includes(null))
    result.enum = [...(result.enum as unknown[]), null];
  return result;
}

let ajv: Ajv2020 | undefined;
const validators = new Map<OpenAISchemaName, ValidateFunction>();

function validatorFor(name: OpenAISchemaName): ValidateFunction {
  let validate = validators.get(name);
  if (validate) return validate;
  if (!ajv) {
    // Vendor keywords (`x-stainless-const`, `discriminator` without Ajv's extra rules …) are
    // annotations here, so strict mode would only reject the official document.
    ajv = new Ajv2020({ strict: false, allErrors: true });
    addFormats.default(ajv);
    ajv.addFormat('unixtime', {
      type: 'number',
      validate: (value: number) => Number.isInteger(value) && value >= 0,
    });
    ajv.addSchema({ $id: DOCUMENT_ID, components: normaliseNullable(schemaDocument.components) });
  }
  validate = ajv.getSchema(`${DOCUMENT_ID}#/components/schemas/${name}`);
  if (!validate) throw new Error(`schema ${name} is not in openai-chat-schemas.json`);
  validators.set(name, validate);
  return validate;
}

/** Validates `value` against one of OpenAI's response schemas. */
export function validateOpenAI(
  schemaName: OpenAISchemaName,
  value: unknown,
): OpenAIValidationResult {
  const validate = validatorFor(schemaName);
  const valid = validate(value);
  return { valid, errors: valid ? '' : ajv!.errorsText(validate.errors, { separator: '; ' }) };
}

/** Where the schemas came from (source, SHA-256 of the spec file). */
export const openAISchemaProvenance = schemaDocument.provenance;
