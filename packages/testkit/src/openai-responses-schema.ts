// Validates values against OpenAI's official Responses API schemas (extracted from the OpenAPI
// document into `openai-responses-schemas.json` by `scripts/extract-openai-schemas.ts`),
// so the mocks and the gateway can prove their Response objects and stream events are what the
// OpenAI clients parse.
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import schemaDocument from './openai-responses-schemas.json' with { type: 'json' };
import { normaliseNullable, type OpenAIValidationResult } from './openai-schema.ts';

export type OpenAIResponsesSchemaName =
  'Response' | 'ResponseStreamEvent' | 'ResponseItemList' | 'ErrorResponse';

const DOCUMENT_ID = 'https://switchyard.dev/schemas/openai-responses.json';

let ajv: Ajv2020 | undefined;
const validators = new Map<OpenAIResponsesSchemaName, ValidateFunction>();

function validatorFor(name: OpenAIResponsesSchemaName): ValidateFunction {
  let validate = validators.get(name);
  if (validate) return validate;
  if (!ajv) {
    ajv = new Ajv2020({ strict: false, allErrors: true });
    addFormats.default(ajv);
    ajv.addFormat('unixtime', {
      type: 'number',
      validate: (value: number) => Number.isInteger(value) && value >= 0,
    });
    ajv.addSchema({ $id: DOCUMENT_ID, components: normaliseNullable(schemaDocument.components) });
  }
  validate = ajv.getSchema(`${DOCUMENT_ID}#/components/schemas/${name}`);
  if (!validate) throw new Error(`schema ${name} is not in openai-responses-schemas.json`);
  validators.set(name, validate);
  return validate;
}

type JsonObject = { [key: string]: unknown };

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

let eventSchemas: Map<string, string> | undefined;

/** The member of the `ResponseStreamEvent` union whose `type` is `type`, by name. */
function eventSchemaFor(type: unknown): string | undefined {
  if (!eventSchemas) {
    eventSchemas = new Map();
    const schemas = schemaDocument.components.schemas as unknown as Record<string, JsonObject>;
    const members = (schemas.ResponseStreamEvent?.anyOf ?? []) as Array<{ $ref: string }>;
    for (const { $ref } of members) {
      const name = $ref.split('/').at(-1) ?? '';
      const properties = schemas[name]?.properties;
      const typeSchema = isObject(properties) ? properties.type : undefined;
      const names = isObject(typeSchema) && Array.isArray(typeSchema.enum) ? typeSchema.enum : [];
      for (const eventType of names) eventSchemas.set(String(eventType), name);
    }
  }
  return typeof type === 'string' ? eventSchemas.get(type) : undefined;
}

/**
 * Validates `value` against one of OpenAI's Responses schemas. A stream event is checked against
 * the member of the union its `type` names, so the errors speak of that event alone.
 */
export function validateOpenAIResponses(
  schemaName: OpenAIResponsesSchemaName,
  value: unknown,
): OpenAIValidationResult {
  const member =
    schemaName === 'ResponseStreamEvent' && isObject(value)
      ? eventSchemaFor(value.type)
      : undefined;
  if (schemaName === 'ResponseStreamEvent' && !member)
    return {
      valid: false,
      errors: `no stream event has the type ${JSON.stringify(isObject(value) ? value.type : value)}`,
    };
  const validate = validatorFor((member ?? schemaName) as OpenAIResponsesSchemaName);
  const valid = validate(value);
  return { valid, errors: valid ? '' : ajv!.errorsText(validate.errors, { separator: '; ' }) };
}

/** Where the schemas came from (source, SHA-256 of the spec file). */
export const openAIResponsesSchemaProvenance = schemaDocument.provenance;
