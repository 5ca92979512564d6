// URLs in text people read (health errors, logs): the origin only — never the credentials, path
// or query string, which may carry tokens.

/** `https://user:pw@host:8443/v1?token=x` as `https://host:8443`. */
export function urlOrigin(url: string): string {
  try {
    const { origin } = new URL(url);
    return origin === 'null' ? '(URL)' : origin;
  } catch {
    return '(invalid URL)';
  }
}

const URL_IN_TEXT = /\bhttps?:\/\/[^\s"'<>]+/gi;

/** Every http(s) URL inside `text` (a library's error message, say) reduced to its origin. */
export function redactUrls(text: string): string {
  return text.replace(URL_IN_TEXT, (url) => urlOrigin(url));
}
