// Validates values against Cohere's official v2 chat schemas (extracted from the OpenAPI document
// into `cohere-chat-schemas.json` by `scripts/extract-cohere-schemas.ts`). Cohere has no SDK among
// our dependencies, so these schemas are what proves the Cohere mock and adapter speak its format.
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import schemaDocument from './cohere-chat-schemas.json' with { type: 'json' };

export type CohereSchemaName =
  | 'ChatResponseV2'
  | 'ChatRequestV2'
  | 'StreamedChatResponseV2'
  | 'ListModelsResponse'
  | 'ErrorBody'
  | 'EmbedRequestV2'
  | 'EmbedByTypeResponse';

export interface CohereValidationResult {
  valid: boolean;
  /** Ajv's error text; empty when valid. */
  errors: string;
}

const DOCUMENT_ID = 'https://switchyard.dev/schemas/cohere-chat.json';

type JsonObject = { [key: string]: unknown };

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Cohere's unions are `oneOf` + OpenAPI `discriminator.mapping`, and their members overlap (every
 * stream event accepts every `type`), so plain `oneOf` rejects valid values and Ajv's own
 * discriminator support refuses `mapping`. Rewrite each into what the mapping means: the property
 * must name a member, and that member's schema applies.
 */
function applyDiscriminators(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(applyDiscriminators);
  if (!isObject(value)) return value;
  const result: JsonObject = {};
  for (const [key, item] of Object.entries(value)) result[key] = applyDiscriminators(item);
  const discriminator = result.discriminator;
  if (
    !isObject(discriminator) ||
    !isObject(discriminator.mapping) ||
    typeof discriminator.propertyName !== 'string'
  )
    return result;
  const property = discriminator.propertyName;
  const mapping = discriminator.mapping;
  const { discriminator: _discriminator, oneOf: _oneOf, ...rest } = result;
  const branches = Object.entries(mapping).map(([name, reference]) => ({
    if: { properties: { [property]: { const: name } }, required: [property] },
    then: { $ref: reference },
  }));
  const existing = Array.isArray(rest.allOf) ? (rest.allOf as unknown[]) : [];
  return {
    ...rest,
    allOf: [
      ...existing,
      {
        type: 'object',
        required: [property],
        properties: { [property]: { enum: Object.keys(mapping) } },
      },
      ...branches,
    ],
  };
}

let ajv: Ajv2020 | undefined;
const validators = new Map<CohereSchemaName, ValidateFunction>();

function validatorFor(name: CohereSchemaName): ValidateFunction {
  let validate = validators.get(name);
  if (validate) return validate;
  if (!ajv) {
    ajv = new Ajv2020({ strict: false, allErrors: true });
    for (const format of ['float', 'int32']) ajv.addFormat(format, true);
    ajv.addSchema({ $id: DOCUMENT_ID, components: applyDiscriminators(schemaDocument.components) });
  }
  validate = ajv.getSchema(`${DOCUMENT_ID}#/components/schemas/${name}`);
  if (!validate) throw new Error(`schema ${name} is not in cohere-chat-schemas.json`);
  validators.set(name, validate);
  return validate;
}

export function validateCohere(
  schemaName: CohereSchemaName,
  value: unknown,
): CohereValidationResult {
  const validate = validatorFor(schemaName);
  const valid = validate(value);
  return { valid, errors: valid ? '' : ajv!.errorsText(validate.errors, { separator: '; ' }) };
}

/** Validates one streamed event (the JSON of a `data:` line). */
export function validateCohereStreamEvent(event: unknown): CohereValidationResult {
  return validateCohere('StreamedChatResponseV2', event);
}

/** Where the schemas came from (source, SHA-256 of the spec file). */
export const cohereSchemaProvenance = schemaDocument.provenance;
