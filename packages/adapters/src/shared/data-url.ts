// `data:` URLs as clients send images and files inline.

export interface DataUrl {
  /** Lower-cased; empty when the URL names none. */
  mediaType: string;
  /** The payload as written (base64 text when `base64` is set). */
  data: string;
  base64: boolean;
}

/** A `data:` URL's media type and payload; undefined for anything else. */
export function parseDataUrl(url: string): DataUrl | undefined {
  if (!url.startsWith('data:')) return undefined;
  const comma = url.indexOf(',');
  if (comma === -1) return undefined;
  const meta = url.slice(5, comma).split(';');
  return {
    mediaType: (meta[0] ?? '').toLowerCase(),
    data: url.slice(comma + 1),
    base64: meta.slice(1).some((parameter) => parameter.toLowerCase() === 'base64'),
  };
}

/** A base64 `data:` URL's media type and payload; undefined for anything else. */
export function parseBase64DataUrl(url: string): DataUrl | undefined {
  const dataUrl = parseDataUrl(url);
  return dataUrl?.base64 ? dataUrl : undefined;
}
