import assert from 'node:assert/strict';
import { test } from 'node:test';
import { InMemoryCorpus } from '../../server/src/service/corpus';
import { escapeMarkdown } from '../../server/src/service/markdown';
import { createLanguageService } from '../../server/src/service/languageService';
import { WorkspaceIndex } from '../../server/src/service/workspaceIndex';
import { carets, positionAt } from '../helpers/caret';
import { fakeAnalyse } from '../helpers/fakeAnalyse';
import { fixture } from '../helpers/serviceFixture';

const ARTICLES = {
  'a.txt':
    'Kazakhstan invests in energy\n\n' +
    '^Erkin Tukumov met Kotra officials in Astana on Monday. ' +
    'Tukumov said Kazakhstan would invest ^$854.4 million in Samruk Energy projects.\n',
  'b.txt':
    'KazISS seminar\n\n' +
    'Yerkin Tukumov, Director of the KazISS, noted that Kazakhstan plans $870 million for Samruk Energy.\n',
  'c.txt': 'Chips\n\nKorea spent $5 billion on chips.\n',
};

function hoverText(h: ReturnType<ReturnType<typeof fixture>['service']['doHover']>): string {
  assert.ok(h, 'expected a hover');
  const c = h.contents as { kind: string; value: string };
  assert.equal(c.kind, 'markdown');
  return c.value;
}

/** Markdown with backslash escapes removed, for reading assertions. */
function plain(md: string): string {
  return md.replace(/\\(.)/g, '$1').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}

test('hover on an entity: name, type, spellings with reasons, mentions, article links, first sentence', () => {
  const f = fixture(ARTICLES);
  const h = f.service.doHover(f.uri('a.txt'), f.at('a.txt', 0));
  const md = hoverText(h);
  const text = plain(md);
  assert.match(text, /Tukumov\*\* — person/);
  assert.match(text, /Erkin Tukumov/);
  assert.match(text, /Yerkin Tukumov/);
  // Why the spellings were merged.
  assert.match(text, /transliteration|surname/);
  // 3 mentions: Erkin Tukumov, Tukumov (a), Yerkin Tukumov (b), in 2 articles
  assert.match(text, /3 mentions\*\* in 2 articles/);
  // Links open the mention: file URI with #L<line>,<col> (1-based).
  assert.ok(md.includes(`](${f.uri('a.txt')}#L3,1)`), md);
  assert.ok(md.includes(`](${f.uri('b.txt')}#L3,1)`), md);
  // The sentence of the first mention (a.txt sorts first).
  assert.match(text, /> Erkin Tukumov met Kotra officials in Astana on Monday\./);
  // The hover range is the mention.
  assert.deepEqual(h!.range, { start: { line: 2, character: 0 }, end: { line: 2, character: 13 } });
});

test('hover on a claim: reading, kind, sentence, attribution, related figure with difference', () => {
  const f = fixture(ARTICLES);
  const md = hoverText(f.service.doHover(f.uri('a.txt'), f.at('a.txt', 1)));
  const text = plain(md);
  assert.match(text, /\*\*US\$854\.4 million\*\* — money · USD/);
  assert.match(text, /check-worthy/);
  assert.match(text, /> Tukumov said Kazakhstan would invest \$854\.4 million in Samruk Energy projects\./);
  assert.match(text, /Source:\*\* said Tukumov/);
  assert.match(text, /\$870 million\]\(file:\/\/\/corpus\/b\.txt#L3,\d+\) in b\.txt: \+1\.8%/);
  // $5 billion in c.txt is about something else (no shared context entities).
  assert.doesNotMatch(text, /5 billion/);
});

test('hover: nothing under the cursor gives null; unknown document gives null', () => {
  const f = fixture(ARTICLES);
  assert.equal(f.service.doHover(f.uri('a.txt'), { line: 0, character: 14 }), null);
  assert.equal(f.service.doHover('file:///nope.txt', { line: 0, character: 0 }), null);
});

test('escapeMarkdown: every Markdown special and HTML is neutralised', () => {
  const s = escapeMarkdown('[x](command:foo) <img src=x onerror=alert(1)> `code` *b* _i_ # h https://evil.example www.evil.example &amp;');
  assert.ok(!s.includes('<'), s);
  assert.ok(!/(^|[^\\])[[\]()`*_#]/.test(s), s);
  assert.ok(!s.includes('https://'), s);
  assert.ok(!s.includes('www.evil'), s);
  assert.ok(s.includes('&amp;amp\\;'));
  // Line breaks cannot start a block.
  assert.equal(escapeMarkdown('a\n\n# b\n- c'), 'a \\# b \\- c');
});

/**
 * Checks rendered Markdown has no link other than the allowed file links and no HTML. Uses
 * markdown-it (CommonMark + linkify) when available.
 */
async function assertNoInjectedLinks(md: string, allowed: (href: string) => boolean): Promise<void> {
  type Renderer = new (o: object) => { render(s: string): string };
  let MarkdownIt: Renderer | undefined;
  try {
    // markdown-it comes with the packaging tools; the structural check below stands without it.
    const specifier = 'markdown-it';
    MarkdownIt = ((await import(specifier)) as { default: Renderer }).default;
  } catch {
    MarkdownIt = undefined;
  }
  if (MarkdownIt) {
    const html = new MarkdownIt({ html: true, linkify: true }).render(md);
    for (const m of html.matchAll(/<a href="([^"]*)"/g)) assert.ok(allowed(m[1]), `unexpected link ${m[1]} in ${html}`);
    assert.doesNotMatch(html, /<img|<script|<iframe/i, html);
  }
  // Structural check that does not depend on a renderer: outside our own links, no unescaped
  // bracket, parenthesis, backtick or angle bracket remains.
  const stripped = md.replace(/\[[^\]]*?(?:\\\][^\]]*?)*\]\((file:[^)\s]+)\)/g, (_, href: string) => {
    assert.ok(allowed(href), href);
    return '';
  });
  assert.doesNotMatch(stripped, /(^|[^\\])[[\]`<]/, stripped);
  assert.doesNotMatch(stripped, /(^|[^\\])\]\(/, stripped);
}

test('hover: article text cannot inject links, commands or HTML', async () => {
  const evil =
    'Evil [x](command:workbench.action.terminal.new) <img src=x onerror=alert(1)> `rm -rf` https://evil.example\n\n' +
    'Tukumov met ^Kotra in [Astana](command:foo "t") <b>bold</b>. He said Kotra would invest $900 million <script>x</script>.\n';
  const f = fixture({ ...ARTICLES, '0evil.md': evil });
  const allowed = (href: string) => href.startsWith('file:///corpus/');
  const entityMd = hoverText(f.service.doHover(f.uri('0evil.md'), f.at('0evil.md', 0)));
  await assertNoInjectedLinks(entityMd, allowed);
  assert.match(entityMd, /\\\[Astana\\\]\\\(command\\:foo/);
  // The claim card quotes the sentence containing the injections.
  const off = f.text('0evil.md').indexOf('$900 million');
  const lines = f.text('0evil.md').slice(0, off).split('\n');
  const claimMd = hoverText(f.service.doHover(f.uri('0evil.md'), { line: lines.length - 1, character: lines[lines.length - 1].length + 1 }));
  assert.match(claimMd, /US\\\$900 million/);
  await assertNoInjectedLinks(claimMd, allowed);
  assert.ok(claimMd.includes('&lt;script&gt;'), claimMd);
});

test('hover: a file name with parentheses cannot break out of the link', () => {
  const f = fixture({ 'x (1).txt': 'Kotra here.\n', 'y.txt': 'Kotra there.\n' });
  const md = hoverText(f.service.doHover(f.uri('x (1).txt'), { line: 0, character: 1 }));
  assert.ok(md.includes('x%20%281%29.txt#L1,1)'), md);
});

test('hover: a card asked again is the same, and an edit that moves or rewords the first mention shows in the next card', () => {
  const f = fixture(ARTICLES);
  const at = f.at('a.txt', 0);
  const first = hoverText(f.service.doHover(f.uri('a.txt'), at));
  assert.equal(hoverText(f.service.doHover(f.uri('a.txt'), at)), first);
  // Reword the first mention's sentence and push it one line down: the excerpt and the link follow.
  const edited = f.text('a.txt').replace('Kazakhstan invests in energy\n\n', 'Kazakhstan invests in energy\n\nUpdated.\n').replace('met Kotra officials', 'met Kotra bankers');
  f.index.update(f.corpus.set(f.uri('a.txt'), edited, 2));
  const again = hoverText(f.service.doHover(f.uri('a.txt'), { line: 3, character: 2 }));
  assert.notEqual(again, first);
  assert.match(plain(again), /> Erkin Tukumov met Kotra bankers in Astana on Monday\./);
  assert.ok(again.includes(`](${f.uri('a.txt')}#L4,1)`), again);
  // Another number of articles per card is another card.
  const one = fixture(ARTICLES, { settings: { maxHoverArticles: 1 } });
  assert.match(plain(hoverText(one.service.doHover(one.uri('a.txt'), one.at('a.txt', 0)))), /and 1 more/);
});

test('hover: a card whose first-mention article cannot be read back is not kept', () => {
  // An index that reads texts back from a disk of its own; the file then changes under it.
  const disk = new Map<string, string>();
  const a = 'Azamat Beispekov met Kotra officials in Astana. Beispekov left.\n';
  disk.set('file:///r/a.txt', a);
  const index = new WorkspaceIndex({ analyse: fakeAnalyse(), readText: (uri) => disk.get(uri) });
  index.update({ uri: 'file:///r/a.txt', text: a, version: 0 });
  const service = createLanguageService({ index });
  const pos = { line: 0, character: 1 };
  disk.set('file:///r/a.txt', 'Something else entirely, of another length.\n');
  const unread = hoverText(service.doHover('file:///r/a.txt', pos));
  assert.doesNotMatch(plain(unread), /> Azamat Beispekov met/);
  // The file is back as indexed: the next hover has the excerpt (the card without it was not kept).
  disk.set('file:///r/a.txt', a);
  assert.match(plain(hoverText(service.doHover('file:///r/a.txt', pos))), /> Azamat Beispekov met Kotra officials in Astana\./);
});

test('while the corpus is linked in steps, a hover links its own article first and gives the card the whole link gives', () => {
  const corpus = new InMemoryCorpus();
  const uri = (name: string) => `file:///corpus/${name}`;
  const marked = ARTICLES['a.txt'];
  const c = carets(marked);
  for (const [name, text] of Object.entries(ARTICLES)) corpus.set(uri(name), name === 'a.txt' ? c.text : text.replace(/\^/g, ''), 1);
  const index = new WorkspaceIndex({ analyse: fakeAnalyse() });
  index.deferLinking(true);
  index.fill(corpus);
  index.deferLinking(false);
  assert.equal(index.startLink(), true, 'the link waits for its steps');
  const service = createLanguageService({ index, settings: () => ({}) });
  const at = (o: number) => positionAt(c.text, o);
  const early = hoverText(service.doHover(uri('a.txt'), at(c.offsets[0])));
  assert.equal(index.linked, false, 'the hover linked its article, not the corpus');
  assert.match(plain(early), /3 mentions\*\* in 2 articles/);
  assert.doesNotMatch(early, /Indexing the workspace/);
  while (!index.linkRest(0));
  assert.equal(index.linked, true);
  assert.equal(hoverText(service.doHover(uri('a.txt'), at(c.offsets[0]))), early);
});

test('while the search for the link\'s components runs in steps, a hover is answered from its article alone and the search goes on', () => {
  const corpus = new InMemoryCorpus();
  const uri = (name: string) => `file:///corpus/${name}`;
  const c = carets(ARTICLES['a.txt']);
  for (const [name, text] of Object.entries(ARTICLES)) corpus.set(uri(name), name === 'a.txt' ? c.text : text.replace(/\^/g, ''), 1);
  const index = new WorkspaceIndex({ analyse: fakeAnalyse(), searchCheck: 1 });
  index.deferLinking(true);
  index.fill(corpus);
  assert.equal(index.beginLinkSearch(), true);
  assert.equal(index.linkSearchStep(0), false);
  const service = createLanguageService({ index, settings: () => ({}) });
  const at = (o: number) => positionAt(c.text, o);
  const during = hoverText(service.doHover(uri('a.txt'), at(c.offsets[0])));
  assert.match(plain(during), /other articles are not linked yet/);
  assert.equal(index.linked, false);
  assert.equal(index.linkSearchStep(0), false, 'the hover left the search to its steps');
  while (!index.linkSearchStep(0));
  index.deferLinking(false);
  assert.equal(index.startLink(), true, 'the components are found; they are linked in steps');
  const linked = hoverText(service.doHover(uri('a.txt'), at(c.offsets[0])));
  assert.match(plain(linked), /3 mentions\*\* in 2 articles/);
  while (!index.linkRest(0));
  assert.equal(hoverText(service.doHover(uri('a.txt'), at(c.offsets[0]))), linked);
});
