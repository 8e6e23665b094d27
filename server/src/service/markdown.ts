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
  // One replace over the text (a hover escapes whole sentences: building the result a character
  // at a time allocated a string piece per character).
  return text.replace(/\s+/g, ' ').replace(MARKDOWN_SPECIAL, escapeOne);
}

const MARKDOWN_SPECIAL = /[<>&!"#$%'()*+,\-./:;=?@[\\\]^_`{|}~]/g;
const escapeOne = (c: string): string => (c === '<' ? '&lt;' : c === '>' ? '&gt;' : c === '&' ? '&amp;' : '\\' + c);

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
