// Identifier-safe selection: on developer texts (logs, traces, events, a diff, prose, a shell session) every output
// word is a whole input word, in input order; with protectIdentifiers every identifier-like atom survives.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { isIdentifierLike } from '../../../src/core/identifiers';
import { splitAtoms } from '../../../src/core/llmlingua2/atoms';
import { loadTokenizer, type Tokenizer } from '../../../src/core/tokens/tokenizers';
import { engine, type ModelKey } from './helpers';

const DIR = path.resolve(__dirname, '../../fixtures/devtexts');
const DEV_TEXTS = [
  'ci.log',
  'python.trace',
  'java.trace',
  'kubectl.events',
  'change.diff',
  'prose.md',
  'shell.session',
];
const read = (name: string) => fs.readFileSync(path.join(DIR, name), 'utf8');

// Written independently of atoms.ts: punctuation at a word's edges may be dropped on its own.
const EDGE = /^[\p{P}\p{S}]+|[\p{P}\p{S}]+$/gu;
const core = (w: string) => w.replace(EDGE, '');

/** Each output word is an input word's core, whole, with some of its edge punctuation; matched in input order. */
function assertWholeWordsInOrder(input: string, output: string, label: string): void {
  const inWords = input.split(/\s+/u).filter(Boolean);
  let j = 0;
  for (const o of output.split(/\s+/u).filter(Boolean)) {
    const c = core(o);
    while (j < inWords.length && !((c === '' || core(inWords[j]!) === c) && isSubsequence(o, inWords[j]!))) j++;
    assert.ok(
      j < inWords.length,
      `${label}: output word ${JSON.stringify(o)} is not a whole input word in order\n${output}`,
    );
    j++;
  }
}

function isSubsequence(part: string, whole: string): boolean {
  let i = 0;
  for (const ch of whole) if (ch === part[i]) i++;
  return i === part.length;
}

const EXPECTED_IDENTIFIERS: Record<string, string[]> = {
  'ci.log': [
    'ord_8f3a2c91',
    'src/payments/stripe.py',
    '12.0.0-rc1',
    'https://api.stripe.com/v1/charges',
    '250ms',
    'payments-db.internal:8443',
    'svc_payments',
    '--no-audit',
    './packages/api/package.json',
    '2026-03-14T09:12:44Z',
  ],
  'python.trace': [
    '/srv/app/orders/views.py',
    'create_order',
    'idempotency_key=order.uuid',
    'requests.exceptions.ReadTimeout',
  ],
  'java.trace': [
    'com.acme.ledger.LedgerService.post(LedgerService.java:214)',
    'ledger_entries_pkey',
    '7f3e9a1',
    'org.postgresql.util.PSQLException',
  ],
  'kubectl.events': [
    'pod/checkout-api-7d9f8b6c5-x2lqp',
    '2m14s',
    'deployment/checkout-api',
    'node-role.kubernetes.io/control-plane',
  ],
  'shell.session': [
    '9c2f1e7a',
    'tests/payments/test_stripe.py',
    '--maxfail=1',
    'STRIPE_API_BASE=http://127.0.0.1:12111',
  ],
};

describe('llmlingua2 whole words (identifier-safe selection)', () => {
  let o200k: Tokenizer;
  before(async () => {
    o200k = await loadTokenizer('o200k_base');
  });

  it('classes paths, URLs, versions, dates, units, hashes, snake/camel/dotted names and flags as identifiers', () => {
    for (const [file, ids] of Object.entries(EXPECTED_IDENTIFIERS)) {
      const cores = new Set(splitAtoms(read(file)).map((a) => read(file).slice(a.coreStart, a.coreEnd)));
      for (const id of ids) {
        assert.ok(cores.has(id), `${file}: ${id} is the core of one atom`);
        assert.ok(isIdentifierLike(id), `${id} is identifier-like`);
      }
    }
    for (const word of ['the', 'failed', 'Retrying', 'in', 'a']) assert.equal(isIdentifierLike(word), false, word);
  });

  for (const m of ['bert', 'xlmr'] as ModelKey[]) {
    for (const rate of [0.5, 0.33]) {
      it(`${m} @${rate}: every output word is a whole input word, in input order`, async function () {
        this.timeout(60_000);
        const e = await engine(m);
        for (const name of DEV_TEXTS) {
          const text = read(name);
          const r = await e.compressToBudget({ contexts: [text], rate, tokenizer: o200k });
          assert.ok(r.compressed_tokens <= r.budget, `${name}: ${r.compressed_tokens} > ${r.budget}`);
          assert.ok(r.compressed_tokens < o200k.count(text), `${name}: something was dropped`);
          assertWholeWordsInOrder(text, r.compressed_prompt, `${m} ${name} @${rate}`);
        }
      });

      it(`${m} @${rate}: a word goes with its punctuation (no lone '<', ':' or brackets)`, async function () {
        this.timeout(60_000);
        const e = await engine(m);
        for (const name of DEV_TEXTS.filter((n) => n !== 'cjk.txt')) {
          const text = read(name);
          const r = await e.compressToBudget({ contexts: [text], rate, tokenizer: o200k });
          const inWords = text.split(/\s+/u).filter(Boolean);
          let j = 0;
          for (const o of r.compressed_prompt.split(/\s+/u).filter(Boolean)) {
            while (j < inWords.length && inWords[j] !== o) j++;
            assert.ok(j < inWords.length, `${m} ${name} @${rate}: ${JSON.stringify(o)} is not an input word, whole`);
            j++;
          }
        }
      });

      it(`${m} @${rate}: with protectIdentifiers every identifier-like atom survives (kept outside the rate)`, async function () {
        this.timeout(60_000);
        const e = await engine(m);
        for (const name of DEV_TEXTS) {
          const text = read(name);
          const r = await e.compressToBudget({ contexts: [text], rate, tokenizer: o200k, protectIdentifiers: true });
          assert.ok(r.compressed_tokens <= r.budget, `${name}: ${r.compressed_tokens} > ${r.budget}`);
          assertWholeWordsInOrder(text, r.compressed_prompt, `${m} ${name} @${rate} protect`);
          // An atom is protected by its core; the whole word, punctuation included, is what survives.
          const ids = splitAtoms(text)
            .filter((a) => isIdentifierLike(text.slice(a.coreStart, a.coreEnd)))
            .map((a) => text.slice(a.start, a.end));
          assert.deepEqual(
            r.word_labels.filter((w) => w.protected).map((w) => w.text),
            ids,
            `${name}: every identifier-like atom is protected`,
          );
          let from = 0;
          for (const id of ids) {
            const at = r.compressed_prompt.indexOf(id, from);
            assert.ok(at >= 0, `${name}: ${id} survives in order`);
            from = at + id.length;
          }
          assert.ok(r.compressed_tokens < o200k.count(text), `${name}: the rest was compressed`);
        }
      });
    }

    it(`${m}: a budget smaller than the protected identifiers alone is kept, and the result says so`, async function () {
      const e = await engine(m);
      const text = read('ci.log');
      const r = await e.compressToBudget({ contexts: [text], budget: 40, tokenizer: o200k, protectIdentifiers: true });
      assert.ok(r.compressed_tokens <= 40, `${r.compressed_tokens} > 40`);
      assert.ok(
        r.notes.some((n) => /^protected identifiers alone exceed the budget \(16 of them\)/.test(n)),
        r.notes.join('; '),
      );
      // Within a budget they fit, protection decides what survives: every identifier, the rest compressed harder.
      const rated = await e.compressToBudget({
        contexts: [text],
        rate: 0.5,
        tokenizer: o200k,
        protectIdentifiers: true,
      });
      const idsOnly = Number(/^protected identifiers \((\d+) tokens\)/.exec(rated.notes[0] ?? '')?.[1]);
      assert.ok(idsOnly > 40, rated.notes.join('; '));
      const budget = idsOnly + 12;
      const fits = await e.compressToBudget({ contexts: [text], budget, tokenizer: o200k, protectIdentifiers: true });
      const plain = await e.compressToBudget({ contexts: [text], budget, tokenizer: o200k });
      const survivors = (out: string) => EXPECTED_IDENTIFIERS['ci.log']!.filter((id) => out.includes(id)).length;
      assert.equal(
        survivors(fits.compressed_prompt),
        EXPECTED_IDENTIFIERS['ci.log']!.length,
        fits.compressed_prompt + fits.notes.join(';'),
      );
      assert.ok(
        survivors(plain.compressed_prompt) < survivors(fits.compressed_prompt),
        'protection changed the outcome',
      );
      assert.ok(fits.compressed_tokens <= budget);
    });

    it(`${m}: CJK text is cut by characters and gets no spaces inserted`, async function () {
      const e = await engine(m);
      const text = read('cjk.txt');
      for (const rate of [0.5, 0.33]) {
        const r = await e.compressToBudget({ contexts: [text], rate, tokenizer: o200k });
        const out = r.compressed_prompt;
        assert.ok(r.compressed_tokens <= r.budget && out.length < text.length, `${rate}: compressed`);
        assert.ok(!/ /.test(out), `${rate}: no inserted space in ${out}`);
        // An in-order extract: every output character appears in the input after the previous one.
        let from = 0;
        for (const ch of out.replace(/\n/g, '')) {
          from = text.indexOf(ch, from) + 1;
          assert.ok(from > 0, `${rate}: ${ch} out of order`);
        }
      }
    });
  }
});
