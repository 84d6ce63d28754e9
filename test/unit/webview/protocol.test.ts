import * as assert from 'node:assert/strict';
import {
  MAX_QUESTION,
  parseHostMessage,
  parseViewStrings,
  parseWebviewMessage,
  VIEW_STRING_KEYS,
} from '../../../src/webviewProtocol';
import { rng } from '../../support/rng';

/** Deterministic generator of arbitrary JSON-ish values. */
function* randomValues(seed: number, count: number): Generator<unknown> {
  const rnd = rng(seed);
  const leaf = (): unknown => {
    switch (Math.floor(rnd() * 8)) {
      case 0:
        return null;
      case 1:
        return rnd() * 1e9 - 5e8;
      case 2:
        return 'x'.repeat(Math.floor(rnd() * 50));
      case 3:
        return rnd() > 0.5;
      case 4:
        return ['accept', 'setOptions', 'copy', 'state', 'ready'][Math.floor(rnd() * 5)];
      case 5:
        return Number.NaN;
      case 6:
        return undefined;
      default:
        return [];
    }
  };
  const value = (depth: number): unknown => {
    if (depth > 3 || rnd() < 0.3) return leaf();
    if (rnd() < 0.3) return Array.from({ length: Math.floor(rnd() * 4) }, () => value(depth + 1));
    const keys = [
      'type',
      'options',
      'mode',
      'budget',
      'rate',
      'compressor',
      'forceTokens',
      'keepDigits',
      'question',
      'state',
      'done',
    ];
    return Object.fromEntries(keys.filter(() => rnd() < 0.5).map((k) => [k, value(depth + 1)]));
  };
  for (let i = 0; i < count; i++) yield value(0);
}

describe('webview protocol validation', () => {
  it('accepts every well-formed webview message', () => {
    for (const m of [
      { type: 'ready' },
      { type: 'accept' },
      { type: 'copy' },
      { type: 'openInEditor' },
      { type: 'sendToChat' },
      { type: 'recompute' },
    ]) {
      assert.equal(parseWebviewMessage(m).ok, true, m.type);
    }
    const options = {
      mode: 'budget',
      budget: 500,
      rate: 0.5,
      compressor: 'auto',
      forceTokens: ['TODO'],
      keepDigits: true,
    };
    assert.deepEqual(parseWebviewMessage({ type: 'setOptions', options }), {
      ok: true,
      value: { type: 'setOptions', options },
    });
    // The Focus field: a question the planner keeps relevant units whole for; optional.
    const focused = { ...options, question: 'why does upload retry forever?' };
    assert.deepEqual(parseWebviewMessage({ type: 'setOptions', options: focused }), {
      ok: true,
      value: { type: 'setOptions', options: focused },
    });
  });

  it('rejects wrong types, missing fields, out-of-range values and huge payloads with a message', () => {
    const bad: unknown[] = [
      null,
      'accept',
      { type: 'setOptions' },
      {
        type: 'setOptions',
        options: { mode: 'budget', budget: 0, rate: 0.5, compressor: 'auto', forceTokens: [], keepDigits: false },
      },
      {
        type: 'setOptions',
        options: { mode: 'budget', budget: 10, rate: 5, compressor: 'auto', forceTokens: [], keepDigits: false },
      },
      {
        type: 'setOptions',
        options: { mode: 'x', budget: 10, rate: 0.5, compressor: 'auto', forceTokens: [], keepDigits: false },
      },
      { type: 'copy', extra: 'y'.repeat(20 * 1024 * 1024) },
      {
        type: 'setOptions',
        options: {
          mode: 'rate',
          budget: 10,
          rate: 0.5,
          compressor: 'auto',
          forceTokens: [],
          keepDigits: false,
          question: 7,
        },
      },
      {
        type: 'setOptions',
        options: {
          mode: 'rate',
          budget: 10,
          rate: 0.5,
          compressor: 'auto',
          forceTokens: [],
          keepDigits: false,
          question: 'q'.repeat(MAX_QUESTION + 1),
        },
      },
    ];
    for (const m of bad) {
      const r = parseWebviewMessage(m);
      assert.equal(r.ok, false);
      assert.ok(!r.ok && r.error.length > 0);
    }
  });

  it('never throws on 5,000 random values, in either direction', () => {
    let accepted = 0;
    for (const v of randomValues(7, 5000)) {
      if (parseWebviewMessage(v).ok) accepted++;
      parseHostMessage(v);
    }
    assert.ok(accepted < 5000);
  });
  it('takes the view strings only when every key is there as text', () => {
    const complete = Object.fromEntries(VIEW_STRING_KEYS.map((k) => [k, `text of ${k}`]));
    assert.equal(parseViewStrings(complete).ok, true);
    const missing: Record<string, string> = { ...complete };
    delete missing.title;
    assert.equal(parseViewStrings(missing).ok, false, 'a missing key');
    assert.equal(parseViewStrings({ ...complete, title: 7 }).ok, false, 'a key that is not text');
    assert.equal(parseViewStrings({ ...complete, title: 'x'.repeat(2001) }).ok, false, 'a text over the bound');
  });
});
