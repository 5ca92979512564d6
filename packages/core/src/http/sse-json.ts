// One event's JSON for a dialect's SSE stream: `{"type": …, …fields, "sequence_number": …}`.
// Written as text around the fields' own JSON instead of spreading them into a new object: a
// spread per event was one of the costliest steps of a translated stream.

/** The event as JSON text, members in the order `type`, the fields, then `sequence_number`. */
export function typedEventJson(
  type: string,
  fields: Readonly<Record<string, unknown>>,
  sequenceNumber?: number,
): string {
  // a field named `type` overrides ours, and ours `sequence_number`, as the spread did
  if ('type' in fields || 'sequence_number' in fields)
    return JSON.stringify({
      type,
      ...fields,
      ...(sequenceNumber === undefined ? {} : { sequence_number: sequenceNumber }),
    });
  const members = JSON.stringify(fields);
  const inner = members.length > 2 ? `,${members.slice(1, -1)}` : '';
  const sequence = sequenceNumber === undefined ? '' : `,"sequence_number":${sequenceNumber}`;
  return `{"type":${JSON.stringify(type)}${inner}${sequence}}`;
}
