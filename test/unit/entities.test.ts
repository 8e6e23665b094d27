/**
 * Entity linking rules, positive and negative, over small invented articles.
 * Run: node --import tsx --test test/unit/entities*.test.ts
 */
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import {
  clusterEdges,
  clusterForms,
  listOf,
  acronymLetters,
  expansionWords,
  linkCorpus,
  linkDocuments,
  matchesAcronym,
  resolveCountry,
  resolveDocument,
} from '../../server/src/service/entities';
import { doc } from '../helpers/linkerDoc';
import type { Entity, EntityType } from '../../server/src/service/types';

const A = doc(
  'file:///corpus/a-astana-briefing.txt',
  "Yerkin Tukumov, director of the Kazakhstan Institute for Strategic Studies (KazISS), met Azamat Beispekov in Almaty. " +
    "Beispekov said the Almaty region needs water. Tukumov's deputy added that KazISS would publish a report. " +
    'Yerkin Tukumov also spoke about Kazakhstan, the Kazakh government and the Korean Army, citing the Korea Herald. ' +
    'FC Almaty won. Shavkat Mirziyoyev arrived; Mirziyoyeva did not.',
  [
    ['Yerkin Tukumov', 'person'],
    ['Kazakhstan Institute for Strategic Studies', 'organization'],
    ['KazISS', 'organization'],
    ['Azamat Beispekov', 'person'],
    ['Almaty', 'place'],
    ['Beispekov', 'person'],
    ['Almaty region', 'place'],
    ["Tukumov's", 'person'],
    ['KazISS', 'organization'],
    ['Yerkin Tukumov', 'person'],
    ['Kazakhstan', 'place'],
    ['Kazakh government', 'organization'],
    ['Korean Army', 'organization'],
    ['Korea Herald', 'organization'],
    ['Almaty', 'organization'],
    ['Shavkat Mirziyoyev', 'person'],
    ['Mirziyoyeva', 'person'],
  ],
);

const B = doc(
  'file:///corpus/b-seoul-trade.txt',
  'Erkin Tukumov of KazISS flew to Seoul. Kassym-Jomart Tokayev and the Korea Trade-Investment Promotion Agency (KOTRA) ' +
    'signed a deal; Tokayev praised KOTRA. The U.S. and the United States Trade Representative, plus S. Korea and Korea, ' +
    'reacted. Nurlan Tokarev disagreed.',
  [
    ['Erkin Tukumov', 'person'],
    ['KazISS', 'organization'],
    ['Seoul', 'place'],
    ['Kassym-Jomart Tokayev', 'person'],
    ['Korea Trade-Investment Promotion Agency', 'organization'],
    ['KOTRA', 'organization'],
    ['Tokayev', 'person'],
    ['KOTRA', 'organization'],
    ['U.S.', 'place'],
    ['United States Trade Representative', 'organization'],
    ['S. Korea', 'place'],
    ['Korea', 'place'],
    ['Nurlan Tokarev', 'person'],
  ],
);

const C = doc(
  'file:///corpus/c-rail.txt',
  'Kasym-Jomart Tokayev visited Kazakhstan Temir Zholy, where KTZ staff met Kotra officials from South Korea and the ' +
    'Republic of Korea, and a delegation from the USA and North Korea. Beispekov was absent. Nurlan Tokayev, a KTZ engineer, spoke.',
  [
    ['Kasym-Jomart Tokayev', 'person'],
    ['Kazakhstan Temir Zholy', 'organization'],
    ['KTZ', 'organization'],
    ['Kotra', 'organization'],
    ['South Korea', 'place'],
    ['Republic of Korea', 'place'],
    ['USA', 'place'],
    ['North Korea', 'place'],
    ['Beispekov', 'person'],
    ['Nurlan Tokayev', 'person'],
    ['KTZ', 'organization'],
  ],
);

const entities = linkDocuments([A, B, C]);

function entityOf(text: string, type?: EntityType, list: Entity[] = entities): Entity {
  const hits = list.filter((e) => (!type || e.type === type) && e.mentions.some((m) => m.text === text));
  assert.equal(hits.length, 1, `expected exactly one entity with a mention "${text}", got ${hits.map((e) => e.id).join(', ') || 'none'}`);
  return hits[0];
}
function same(a: string, b: string, type?: EntityType, list?: Entity[]) {
  assert.equal(entityOf(a, type, list).id, entityOf(b, type, list).id, `"${a}" and "${b}" should be one entity`);
}
function apart(a: string, b: string, ta?: EntityType, tb?: EntityType, list?: Entity[]) {
  assert.notEqual(entityOf(a, ta, list).id, entityOf(b, tb ?? ta, list).id, `"${a}" and "${b}" must stay apart`);
}

describe('entity linking — within an article (resolveDocument)', () => {
  it('resolves a surname to the full name in the same article', () => {
    const local = resolveDocument(A);
    const cluster = local.clusters.find((c) => listOf(clusterForms(c)).some((f) => f.surface === 'Azamat Beispekov'))!;
    assert.ok(listOf(clusterForms(cluster)).some((f) => f.surface === 'Beispekov' && f.role === 'surname'));
    assert.deepEqual(
      clusterEdges(cluster).map((e) => e.rule),
      ['surname'],
    );
  });

  it('folds possessives and records why', () => {
    const e = entityOf("Tukumov's");
    assert.ok(e.aliases.includes("Tukumov's"));
    assert.ok(e.merges.some((m) => m.alias === "Tukumov's" && m.rule === 'possessive'));
  });

  it('ties an acronym defined in parentheses to its expansion', () => {
    same('KazISS', 'Kazakhstan Institute for Strategic Studies');
    const e = entityOf('KazISS');
    assert.equal(e.name, 'Kazakhstan Institute for Strategic Studies');
    assert.ok(e.merges.some((m) => m.alias === 'KazISS' && m.rule === 'acronym'));
  });

  it('ties an acronym matched (not defined) in the same article', () => {
    const local = resolveDocument(C);
    const cluster = local.clusters.find((c) => listOf(clusterForms(c)).some((f) => f.surface === 'KTZ'))!;
    assert.ok(listOf(clusterForms(cluster)).some((f) => f.surface === 'Kazakhstan Temir Zholy'));
    same('KTZ', 'Kazakhstan Temir Zholy');
  });

  it('is a pure function of the document', () => {
    assert.deepEqual(resolveDocument(A), resolveDocument(structuredClone(A)));
  });
});

describe('entity linking — across the corpus (linkCorpus)', () => {
  it('merges transliteration variants and explains the merge', () => {
    same('Erkin Tukumov', 'Yerkin Tukumov');
    same('Kasym-Jomart Tokayev', 'Kassym-Jomart Tokayev');
    const e = entityOf('Erkin Tukumov');
    assert.equal(e.name, 'Yerkin Tukumov'); // the more frequent full form
    assert.equal(e.id, 'person:yerkin-tukumov');
    const why = e.merges.find((m) => m.alias === 'Erkin Tukumov');
    assert.ok(why, 'a reason for Erkin Tukumov');
    assert.equal(why.into, 'Yerkin Tukumov');
    assert.equal(why.rule, 'transliteration');
    assert.match(why.detail ?? '', /edit distance 1/);
  });

  it('resolves a lone surname across the corpus only when exactly one person has it', () => {
    same('Beispekov', 'Azamat Beispekov'); // C has a bare "Beispekov": one Beispekov in the corpus
    const lone = entityOf('Beispekov', 'person');
    assert.ok(lone.mentions.some((m) => m.uri === C.uri));
    // "Tokayev" in B resolves inside B; but two different Tokayevs exist in the corpus
    // (Kassym-Jomart and Nurlan), so a bare "Tokayev" elsewhere would stay alone:
    const D = doc('file:///corpus/d.txt', 'Tokayev spoke.', [['Tokayev', 'person']]);
    const withD = linkDocuments([A, B, C, D]);
    const bare = withD.find((e) => e.mentions.some((m) => m.uri === D.uri))!;
    assert.equal(bare.mentions.length, 1);
    assert.equal(bare.name, 'Tokayev');
  });

  it('links a lone acronym to its only expansion elsewhere, and case variants (KOTRA/Kotra)', () => {
    const kaziss = entityOf('KazISS');
    assert.ok(kaziss.mentions.some((m) => m.uri === B.uri), 'KazISS in B joins the institute');
    same('KOTRA', 'Korea Trade-Investment Promotion Agency');
    same('Kotra', 'KOTRA');
  });

  it('leaves an acronym alone when two expansions match it', () => {
    const X = doc('file:///x.txt', 'The Kazakhstan Institute of Social Sciences and the KISS report.', [
      ['Kazakhstan Institute of Social Sciences', 'organization'],
      ['KISS', 'organization'],
    ]);
    const Y = doc('file:///y.txt', 'KISS again.', [['KISS', 'organization']]);
    const list = linkDocuments([A, X, Y]);
    const lone = list.find((e) => e.mentions.some((m) => m.uri === Y.uri))!;
    assert.equal(lone.mentions.length, 1, 'KISS in Y matches two institutes: no merge');
    // Inside X the acronym is matched against the one expansion in that article.
    same('KISS', 'Kazakhstan Institute of Social Sciences', 'organization', list.filter((e) => e !== lone));
  });

  it('merges country variants through country data', () => {
    for (const v of ['S. Korea', 'Korea', 'Republic of Korea']) same(v, 'South Korea', 'place');
    const korea = entityOf('Korea', 'place');
    assert.equal(korea.name, 'South Korea');
    assert.equal(korea.id, 'place:south-korea');
    assert.ok(korea.merges.some((m) => m.alias === 'Korea' && m.rule === 'country'));
    same('U.S.', 'USA', 'place');
    assert.equal(entityOf('U.S.', 'place').name, 'United States');
  });

  it('explains bare "Korea" from data, not a list', () => {
    const m = resolveCountry('Korea');
    assert.equal(m?.cca3, 'KOR');
    assert.match(m!.how, /Republic of Korea/);
    assert.equal(resolveCountry('North Korea')?.cca3, 'PRK');
    assert.equal(resolveCountry('S. Korea')?.cca3, 'KOR');
    assert.equal(resolveCountry('U.S.')?.cca3, 'USA');
    assert.equal(resolveCountry('Korea Herald'), null);
    assert.equal(resolveCountry('Kazakh government'), null);
    assert.equal(resolveCountry('us'), null, 'codes only match in capitals');
  });

  it('does not merge what must stay apart', () => {
    apart('Almaty', 'Almaty region', 'place');
    apart('Kazakhstan', 'Kazakh government', 'place', 'organization');
    apart('Korea', 'Korean Army', 'place', 'organization');
    apart('Korea', 'Korea Herald', 'place', 'organization');
    apart('South Korea', 'North Korea', 'place');
    apart('Shavkat Mirziyoyev', 'Mirziyoyeva', 'person');
    apart('Kassym-Jomart Tokayev', 'Nurlan Tokarev', 'person');
    apart('Nurlan Tokayev', 'Nurlan Tokarev', 'person');
    apart('Almaty', 'Almaty', 'place', 'organization'); // different types never merge
    apart('U.S.', 'United States Trade Representative', 'place', 'organization');
  });

  it('records a reason for every alias that is not the name', () => {
    for (const e of entities) {
      for (const alias of e.aliases) {
        if (alias === e.name) continue;
        assert.ok(
          e.merges.some((m) => m.alias === alias) || e.merges.some((m) => m.into === alias),
          `${e.id}: no reason mentions alias "${alias}"`,
        );
      }
    }
  });

  it('gives ids derived from name and type, sorted and unique', () => {
    const ids = entities.map((e) => e.id);
    assert.deepEqual(ids, [...ids].sort());
    assert.equal(new Set(ids).size, ids.length);
    for (const e of entities) assert.ok(e.id.startsWith(`${e.type}:`));
  });

});

describe('acronym matcher', () => {
  const yes: [string, string][] = [
    ['KazISS', 'Kazakhstan Institute for Strategic Studies'],
    ['KISS', 'Kazakhstan Institute for Strategic Studies'],
    ['KTZ', 'Kazakhstan Temir Zholy'],
    ['KOTRA', 'Korea Trade-Investment Promotion Agency'],
    ['Kotra', 'Korea Trade-Investment Promotion Agency'],
    ['MFA', 'Ministry of Foreign Affairs'],
    ['MoFA', 'Ministry of Foreign Affairs'],
    ['UNDP', 'United Nations Development Programme'],
    ['NATO', 'North Atlantic Treaty Organization'],
  ];
  const no: [string, string][] = [
    ['KTZ', 'Korea Trade-Investment Promotion Agency'],
    ['ABC', 'Kazakhstan Institute for Strategic Studies'],
    ['KH', 'Kazakhstan Institute for Strategic Studies'],
    ['KazISS', 'Kazakhstan Temir Zholy'],
    ['KR', 'Korea'], // one word is not an expansion
    ['KSS', 'Kazakhstan Institute for Strategic Studies Centre'], // last word must be used
  ];
  for (const [a, l] of yes) it(`${a} ↔ ${l}`, () => assert.equal(expansionWords(l) !== null && matchesAcronym(acronymLetters(a), expansionWords(l)!), true));
  for (const [a, l] of no) it(`${a} ↮ ${l}`, () => assert.equal(expansionWords(l) !== null && matchesAcronym(acronymLetters(a), expansionWords(l)!), false));
});

describe('determinism and incremental equivalence', () => {
  const shuffle = <T>(xs: T[], seed: number): T[] => {
    const a = [...xs];
    let s = seed;
    for (let i = a.length - 1; i > 0; i--) {
      s = (s * 1103515245 + 12345) & 0x7fffffff;
      const j = s % (i + 1);
      [a[i], a[j]] = [a[j], a[i]];
    }
    return a;
  };

  it('gives identical output for shuffled documents and shuffled mentions', () => {
    const base = JSON.stringify(linkDocuments([A, B, C]));
    for (let seed = 1; seed <= 5; seed++) {
      const docs = shuffle([A, B, C], seed).map((d) => ({ ...d, mentions: shuffle(d.mentions, seed * 7) }));
      assert.equal(JSON.stringify(linkDocuments(docs)), base);
    }
  });

  it('linking cached per-document results equals linking the documents afresh in another order', () => {
    const cache = new Map([A, B, C].map((d) => [d.uri, resolveDocument(d)]));
    // "edit" B: re-resolve only B, reuse the others
    const B2 = doc(B.uri, B.text, [['Erkin Tukumov', 'person'], ['KazISS', 'organization']]);
    cache.set(B.uri, resolveDocument(B2));
    const incremental = linkCorpus([...cache.values()]);
    const fresh = linkDocuments([C, B2, A]);
    assert.deepEqual(incremental, fresh);
  });
});
