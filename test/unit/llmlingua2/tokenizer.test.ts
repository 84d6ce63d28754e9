import * as assert from 'node:assert/strict';
import { Tokenizer as HfTokenizer } from '@huggingface/tokenizers';
import { chunkContext } from '../../../src/core/llmlingua2/reference';
import { ModelTokenizer } from '../../../src/core/llmlingua2/tokenizer';
import { loadCases, loadChunks, modelTokenizer, rng, tokenizerJson, type ModelKey } from './helpers';

describe('llmlingua2 model tokenizer', () => {
  for (const m of ['bert', 'xlmr'] as ModelKey[]) {
    describe(m, () => {
      const tok = modelTokenizer(m);
      const chunks = loadChunks().models[m];
      const { texts } = loadCases();

      it('tokenizes every public text exactly like the reference tokenizer', () => {
        for (const [name, rec] of Object.entries(chunks.texts)) {
          assert.deepEqual(tok.tokenize(texts[name]!).tokens, rec.tokens, name);
        }
      });

      it('gives the recorded model ids for every chunk (CLS + tokens + SEP)', () => {
        const [cls, sep] = m === 'bert' ? ['[CLS]', '[SEP]'] : ['<s>', '</s>'];
        let n = 0;
        for (const rec of Object.values(chunks.texts)) {
          for (const ch of rec.chunks) {
            const ids = [tok.tokenToId(cls), ...tok.tokenize(ch.text).ids, tok.tokenToId(sep)];
            assert.deepEqual(ids, ch.ids);
            n++;
          }
        }
        assert.equal(n, 12);
      });

      it('chunks and detokenizes like __chunk_context (recorded chunk strings)', () => {
        for (const [name, rec] of Object.entries(chunks.texts)) {
          assert.deepEqual(
            chunkContext(tok, texts[name]!, new Set(['.', '\n'])),
            rec.chunks.map((c) => c.text),
            name,
          );
        }
      });

      it('gives offsets whose source text is the token surface', () => {
        const text = texts.LONG!;
        const t = tok.tokenize(text);
        let checked = 0;
        for (let i = 0; i < t.tokens.length; i++) {
          const src = text.slice(t.starts[i], t.ends[i]);
          const surface = m === 'bert' ? t.tokens[i]!.replace(/^##/, '') : t.tokens[i]!.replace(/^\u2581/, '');
          if (surface === '') continue;
          assert.equal(m === 'bert' ? src : src.normalize('NFKC').trim(), surface, `token ${i}`);
          if (i > 0) assert.ok(t.starts[i]! >= t.starts[i - 1]!, 'offsets are ordered');
          checked++;
        }
        assert.ok(checked > 1500);
      });

      it('keeps unknown pieces with offsets (no silent loss)', () => {
        const text = 'alpha Ωmega☃ beta';
        const t = tok.tokenize(text);
        const unkIdx = t.ids.findIndex((id) => id === tok.tokenToId(tok.unknownToken));
        assert.ok(unkIdx >= 0, 'an unknown piece is produced');
        assert.ok(t.ends[unkIdx]! > t.starts[unkIdx]!);
        assert.match(text.slice(t.starts[unkIdx], t.ends[unkIdx]), /Ω|☃/);
      });
    });
  }

  it('agrees with @huggingface/tokenizers on random unicode text (BERT pipeline)', () => {
    const ours = modelTokenizer('bert');
    const hf = new HfTokenizer(tokenizerJson('bert') as object, {});
    const rand = rng(7);
    const alphabet =
      'abcdefghijklmnopqrstuvwxyz ABCXYZ0123456789 .,;:!?()[]{}\'"#-_\n\t\r  éüßçñ中文字日本語한국어 Ωπ😀\u200b\u00a0\u0301[UNK][SEP]';
    const chars = Array.from(alphabet);
    for (let k = 0; k < 200; k++) {
      let s = '';
      const len = Math.floor(rand() * 60);
      for (let i = 0; i < len; i++) s += chars[Math.floor(rand() * chars.length)];
      assert.deepEqual(ours.tokenize(s).tokens, hf.tokenize(s), JSON.stringify(s));
    }
  });

  it('reads the normalizer from tokenizer.json (Precompiled/Replace for real XLM-R, lowercase BERT, unknown steps)', () => {
    const { texts } = loadCases();
    const xlmr = tokenizerJson('xlmr') as { normalizer: unknown };
    const real = new ModelTokenizer({
      ...(xlmr as object),
      // The shape of the real xlm-roberta-large tokenizer.json (charsmap content not needed: applied as Nmt + NFKC).
      normalizer: {
        type: 'Sequence',
        normalizers: [
          { type: 'Replace', pattern: { String: '``' }, content: '"' },
          { type: 'Replace', pattern: { String: "''" }, content: '"' },
          { type: 'Precompiled', precompiled_charsmap: '' },
          { type: 'Replace', pattern: { Regex: ' {2,}' }, content: ' ' },
        ],
      },
    } as never);
    const fixture = modelTokenizer('xlmr');
    for (const name of Object.keys(texts)) {
      assert.deepEqual(real.tokenize(texts[name]!).tokens, fixture.tokenize(texts[name]!).tokens, name);
    }
    const q = real.tokenize("``quoted''");
    assert.equal(q.tokens.join('').replace(/\u2581/g, ''), '"quoted"');
    assert.equal(q.ends[q.ends.length - 1], 10, 'the replaced quote maps back to both source characters');

    const bert = tokenizerJson('bert') as { normalizer: Record<string, unknown> };
    const uncased = new ModelTokenizer({
      ...(bert as object),
      normalizer: { ...bert.normalizer, lowercase: true, strip_accents: null },
    } as never);
    const t = uncased.tokenize('ÉTÉ Chat');
    assert.deepEqual(t.tokens, uncased.tokenize('ete chat').tokens);
    assert.deepEqual([t.starts[0], t.ends[t.ends.length - 1]], [0, 8]);

    assert.throws(
      () => new ModelTokenizer({ ...(xlmr as object), normalizer: { type: 'Strange' } } as never),
      /Unsupported normalizer in tokenizer\.json: Strange/,
    );
  });

  it('splits added tokens ([NEWi]) out of the text, in both modes', () => {
    for (const m of ['bert', 'xlmr'] as ModelKey[]) {
      const tok = modelTokenizer(m);
      const t = tok.tokenize('one[NEW0]two');
      assert.ok(t.tokens.includes('[NEW0]'), m);
      assert.equal(t.ids[t.tokens.indexOf('[NEW0]')], tok.tokenToId('[NEW0]'));
    }
  });
});
