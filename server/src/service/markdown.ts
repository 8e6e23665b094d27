/**
 * Building Markdown for hover cards from untrusted article text. Every piece of article text
 * goes through `escapeMarkdown`, so an article cannot inject a link, a command URI, an image,
 * HTML or code spans into a hover; the only links are the ones the service builds with `link`.
 */

/**
 * Escapes text for inline Markdown: every ASCII punctuation character is backslash-escaped
 * (CommonMark allows escaping any of them), `<`/`>`/`&` become entities, and whitespace
 * (including line breaks) collapses to single spaces so no block syntax can start.
 * Also breaks bare-URL autolinking (`https\:\/\/…`, `www\.…`).
 */
export function escapeMarkdown(text: string): string {
  let out = '';
  const t = text.replace(/\s+/g, ' ');
  for (let i = 0; i < t.length; i++) {
    const c = t[i];
    if (c === '<') out += '&lt;';
    else if (c === '>') out += '&gt;';
    else if (c === '&') out += '&amp;';
    else if (/[!"#$%'()*+,\-./:;=?@[\\\]^_`{|}~]/.test(c)) out += '\\' + c;
    else out += c;
  }
  return out;
}

/** Percent-encodes the characters that would end or confuse a Markdown link destination. */
export function safeLinkTarget(uri: string): string {
  return uri.replace(/[\s()<>\\[\]`"']/g, (c) => '%' + c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0'));
}

/** A Markdown link to a `file:` URI; the text is escaped. Non-file URIs are rendered as plain text. */
export function link(text: string, uri: string): string {
  if (!/^file:/i.test(uri) && !/^untitled:/i.test(uri)) return escapeMarkdown(text);
  return `[${escapeMarkdown(text)}](${safeLinkTarget(uri)})`;
}

/** A block quote of (escaped) text. */
export function quote(text: string): string {
  return `> ${escapeMarkdown(text)}`;
}
