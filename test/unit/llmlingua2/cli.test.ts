// The machine contract `compress --compressor DIR --request FILE|-` (src/cli/llmlingua2Contract.ts).
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runCompressRequest } from '../../../src/cli/llmlingua2Contract';
import { capture, FOLDERS, loadCases } from './helpers';

describe('llmlingua2 CLI request contract', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cb-req-'));
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('reference selection reproduces a recorded case (multi-context, force tokens)', async () => {
    const { texts, cases } = loadCases();
    for (const id of ['xlmr/multi/ctx-rate0.5-force1', 'bert/single/docs.md/rate0.5-force-drop']) {
      const c = cases.find((x) => x.id === id)!;
      const file = path.join(dir, 'req.json');
      fs.writeFileSync(
        file,
        JSON.stringify({ contexts: c.context_names.map((n) => texts[n]), settings: c.kwargs, selection: 'reference' }),
      );
      const r = await capture(() => runCompressRequest(['--compressor', FOLDERS[c.model], '--request', file]));
      assert.equal(r.code, 0, r.err);
      const out = JSON.parse(r.out);
      assert.equal(out.compressed_prompt, c.result.compressed_prompt);
      assert.deepEqual(out.compressed_prompt_list, c.result.compressed_prompt_list);
      assert.equal(out.origin_tokens, c.result.origin_tokens);
      assert.equal(out.compressed_tokens, c.result.compressed_tokens);
      assert.deepEqual(out.words, c.words);
      assert.deepEqual(out.labels, c.labels);
    }
  });

  it('budget selection honours target_token and returns per-word labels with p(keep) and offsets', async () => {
    const text = loadCases().texts['meeting.txt']!;
    const file = path.join(dir, 'req2.json');
    fs.writeFileSync(
      file,
      JSON.stringify({
        contexts: [text],
        settings: { target_token: 80, force_tokens: ['Budget'] },
        selection: 'budget',
      }),
    );
    const r = await capture(() => runCompressRequest(['--compressor', FOLDERS.bert, '--request', file]));
    assert.equal(r.code, 0, r.err);
    const out = JSON.parse(r.out);
    assert.ok(out.compressed_tokens <= 80 && out.compressed_tokens >= 78, String(out.compressed_tokens));
    assert.equal(out.words.length, out.labels.length);
    const w = out.word_labels[3];
    assert.equal(text.slice(w.start, w.end), w.text);
    assert.ok(w.pKeep >= 0 && w.pKeep <= 1);
  });

  it('usage errors exit with 2 and a message', async () => {
    const r = await capture(() => runCompressRequest(['--request', 'x.json']));
    assert.equal(r.code, 2);
    assert.match(r.err, /--compressor DIR is required/);
    const bad = path.join(dir, 'bad.json');
    fs.writeFileSync(bad, '{"contexts": [1]}');
    const r2 = await capture(() => runCompressRequest(['--compressor', FOLDERS.bert, '--request', bad]));
    assert.equal(r2.code, 2);
    assert.match(r2.err, /list of strings/);
  });
});
