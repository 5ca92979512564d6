// Scanning JSON text without parsing it, for edits that must leave every other byte as it was.

/** The index of the first non-whitespace character at or after `index`. */
export function skipSpace(text: string, index: number): number {
  let at = index;
  while (at < text.length && /\s/.test(text[at] ?? '')) at += 1;
  return at;
}

/** The index just past the JSON string that opens at `start`. */
export function stringEnd(text: string, start: number): number {
  let at = start + 1;
  while (at < text.length) {
    const char = text[at];
    if (char === '\\') at += 2;
    else if (char === '"') return at + 1;
    else at += 1;
  }
  throw new SyntaxError('unterminated string');
}

/** The index just past the JSON value that starts at `start`. */
export function valueEnd(text: string, start: number): number {
  if (text[start] === '"') return stringEnd(text, start);
  let depth = 0;
  let at = start;
  while (at < text.length) {
    const char = text[at];
    if (char === '"') {
      at = stringEnd(text, at);
      continue;
    }
    if (char === '{' || char === '[') depth += 1;
    else if (char === '}' || char === ']') {
      if (depth === 0) return at;
      depth -= 1;
      if (depth === 0) return at + 1;
    } else if (depth === 0 && (char === ',' || /\s/.test(char ?? ''))) return at;
    at += 1;
  }
  return at;
}
