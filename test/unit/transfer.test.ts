/**
 * The packed form in which workers send articles to the main thread (service/transfer.ts): every
 * value comes back equal, objects with their keys in order, and a sender that keeps its state
 * across messages sends each string and list of strings once — with a receiver that refuses a
 * message out of order instead of misreading it.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { pack, PackState, unpack, Unpacker } from '../../server/src/service/transfer';

test('transfer: plain values come back deep-equal, keys in their order', () => {
  const values: unknown[] = [
    undefined,
    null,
    true,
    false,
    0,
    -0,
    7,
    -2147483648,
    2147483648,
    3.25,
    Number.NaN,
    Infinity,
    '',
    'ü €',
    [],
    [1, 'a', [2, []], { x: undefined }],
    { b: 1, a: { d: [null], c: 'x' }, detail: undefined },
    { 2: 'two', 1: 'one', k: 'v' },
  ];
  for (const v of values) {
    const back = unpack(pack(v));
    assert.deepStrictEqual(back, v);
    if (v && typeof v === 'object' && !Array.isArray(v)) assert.deepEqual(Object.keys(back as object), Object.keys(v));
  }
  assert.ok(Object.is(unpack(pack(-0)), -0), '-0 stays -0');
  const proto = JSON.parse('{"__proto__": 1, "a": 2}');
  const back = unpack(pack(proto)) as Record<string, unknown>;
  assert.equal(Object.getPrototypeOf(back), Object.prototype);
  assert.deepEqual(Object.keys(back), ['__proto__', 'a']);
  assert.equal(Object.getOwnPropertyDescriptor(back, '__proto__')?.value, 1);
});

test('transfer: anything but plain data is refused', () => {
  for (const v of [new Map(), new Date(0), new Uint8Array(2), () => 1, Symbol('s'), 1n, new (class X {})()]) {
    assert.throws(() => pack(v), TypeError, String(v));
    assert.throws(() => pack({ nested: [v] }), TypeError);
  }
});

test('transfer: any JSON value round-trips (property)', () => {
  fc.assert(fc.property(fc.jsonValue(), (v) => assert.deepStrictEqual(unpack(pack(v)), v)));
});

test('transfer: options map each string once, share empty arrays and lists of strings', () => {
  const seen: string[] = [];
  const empty = Object.freeze([]) as readonly never[];
  const v = { a: ['x', 'y'], b: ['x', 'y'], c: [], d: 'x', e: [1, 'x'] };
  const out = unpack(pack(v), {
    string: (s) => (seen.push(s), s.toUpperCase()),
    emptyArray: empty,
    stringList: (l) => [...l, '!'],
  }) as Record<string, unknown>;
  assert.deepEqual(seen.sort(), ['x', 'y']);
  assert.deepEqual(out, { a: ['X', 'Y', '!'], b: ['X', 'Y', '!'], c: [], d: 'X', e: [1, 'X'] });
  assert.equal(out.c, empty);
  assert.notEqual(out.a, out.b, 'two list objects on the sending side stay two');
  // The sender's `known` string crosses as a tag: the receiver gives its own copy.
  const uri = 'file:///a.txt';
  const packed = pack({ uri, m: [{ uri }] }, undefined, uri);
  assert.deepEqual(packed.strings, []);
  const mine = `file:///${'a.txt'}`;
  const got = unpack(packed, {}, mine) as { uri: string; m: Array<{ uri: string }> };
  assert.equal(got.uri, mine);
  assert.equal(got.m[0].uri, mine);
  assert.throws(() => unpack(packed), /no known string/);
});

test('transfer: with a PackState, strings and lists already sent cross as numbers', () => {
  const state = new PackState();
  const rx = new Unpacker();
  const tokens = ['kazakh', 'railways'];
  const first = pack({ key: 'kazakh railways', tokens }, state);
  const second = pack({ key: 'kazakh railways', tokens, other: 'new' }, state);
  assert.deepEqual(first.strings, ['kazakh railways', 'kazakh', 'railways']);
  assert.deepEqual(second.strings, ['new'], 'only the new string is sent');
  assert.deepEqual(second.shapes, [['key', 'tokens', 'other']], 'only the new shape is sent');
  const a = rx.unpack(first) as { tokens: string[] };
  const b = rx.unpack(second) as { tokens: string[]; other: string };
  assert.deepEqual(b, { key: 'kazakh railways', tokens, other: 'new' });
  assert.equal(b.tokens, a.tokens, 'a list sent again is the list received before');
});

test('transfer: a receiver refuses a message out of order until the sender resets', () => {
  const state = new PackState();
  const rx = new Unpacker();
  const m1 = pack({ s: 'one' }, state);
  const m2 = pack({ s: 'two' }, state);
  const m3 = pack({ s: 'three' }, state);
  assert.deepEqual(rx.unpack(m1), { s: 'one' });
  // m2 is lost: m3 refers to strings the receiver never got.
  assert.throws(() => rx.unpack(m3), /out of order/);
  assert.throws(() => rx.unpack(m2), /out of order/, 'refused from then on');
  state.reset(); // what a worker does when it could not deliver a result
  const m4 = pack({ s: 'two', t: 'one' }, state);
  assert.equal(m4.reset, true);
  assert.deepEqual(rx.unpack(m4), { s: 'two', t: 'one' });
  // A malformed message breaks the receiver in the same way.
  const m5 = pack({ s: 'five' }, state);
  assert.throws(() => rx.unpack({ ...m5, data: m5.data.slice(0, 2) }), /ends early/);
  assert.throws(() => rx.unpack(pack({ s: 'six' }, state)), /out of order/);
});

test('transfer: a PackState past its cap starts over, and the receiver follows', () => {
  const state = new PackState(3);
  const rx = new Unpacker();
  const sent: string[][] = [];
  for (let i = 0; i < 10; i++) {
    const v = { a: `s${i}`, b: `t${i}`, c: 'same' };
    const p = pack(v, state);
    sent.push(p.strings);
    assert.deepEqual(rx.unpack(p), v);
  }
  assert.ok(state.strings.size <= 6, `bounded: ${state.strings.size}`);
  assert.ok(sent.filter((s) => s.includes('same')).length > 1, 'sent again after a reset');
});
