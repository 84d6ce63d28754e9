// The notes a source's analysis and its compressors write (English text from src/core/structural and
// src/core/pack/ladder.ts) become data a surface words (src/core/planner/notes.ts): each text the real analyser
// writes is known, the English words keep saying it, and a model's notes about its rungs go to the log.
import * as assert from 'node:assert/strict';
import { ENGLISH, explainSource, type ExplainWords } from '../../../src/core/planner/explain';
import {
  ENGLISH_NOTES,
  failureOf,
  modelNote,
  noteText,
  sourceNote,
  type InputNote,
} from '../../../src/core/planner/notes';
import { planContext } from '../../../src/core/planner/index';
import { createStructuralCompressor } from '../../../src/core/structural/index';
import { loadTokenizer } from '../../../src/core/tokens/tokenizers';
import { readWasm } from '../../../src/node/treeSitterFiles';

const structural = createStructuralCompressor({ readWasm });

/** The analyser's notes about `text`, less its level descriptions (the packer drops those: ladder.ts). */
async function analysisNotes(text: string, languageId?: string): Promise<string[]> {
  const analysis = await structural.analyse(text, languageId);
  return analysis.notes.filter((n) => !n.startsWith('level '));
}

describe('source notes as data (src/core/planner/notes.ts)', () => {
  it('every note the structural analyser writes is known, with its data; English says what the analyser said', async () => {
    // Each input with the note it must give (a syntax error count is the parser's: more than 0).
    const cases: { text: string; languageId?: string; expect: InputNote }[] = [
      {
        text: 'export function f(x: number {\n  return x +;\n}\nconst = 3;\n',
        languageId: 'typescript',
        expect: { kind: 'syntaxErrors', count: 0 },
      },
      {
        text: `${'var a=1,b=2;function c(){return a+b}'.repeat(200)}\n`,
        languageId: 'javascript',
        expect: { kind: 'minified' },
      },
      { text: 'x\n', languageId: 'elixir', expect: { kind: 'noGrammar', language: 'elixir' } },
      { text: 'x\n', expect: { kind: 'unknownLanguage' } },
    ];
    for (const c of cases) {
      const notes = await analysisNotes(c.text, c.languageId);
      const data = notes.map((text) => sourceNote({ kind: 'source', label: 'a', text }));
      const found = data.flatMap((d) => (d.kind === 'input' && d.note.kind === c.expect.kind ? [d.note] : []));
      assert.equal(found.length, 1, `${c.languageId}: ${JSON.stringify(data)}`);
      if (found[0]!.kind === 'syntaxErrors') assert.ok(found[0]!.count > 0, JSON.stringify(found));
      else assert.deepEqual(found[0], c.expect);
      for (const [i, text] of notes.entries()) {
        const d = data[i]!;
        assert.notEqual(d.kind, 'source', `unknown analyser note: ${text}`);
        // The English words say what the analyser said (syntax errors: without "node(s)").
        if (d.kind === 'input' && d.note.kind === 'syntaxErrors') {
          assert.equal(noteText(d), `a: input has ${d.note.count} syntax errors; levels may keep more than usual`);
        } else assert.equal(noteText(d), `a: ${text}`);
        assert.equal(noteText({ kind: 'source', label: 'a', text }), noteText(d), 'the packer note words the same');
      }
    }
    const unavailable = sourceNote({
      kind: 'source',
      label: 'a',
      text: 'grammar tree-sitter-json.wasm unavailable (ENOENT: no such file (x)): whitespace and repeated lines only',
    });
    assert.deepEqual(unavailable, {
      kind: 'input',
      label: 'a',
      note: { kind: 'grammarUnavailable', grammar: 'tree-sitter-json.wasm', reason: 'ENOENT: no such file (x)' },
    });
  });

  it("a compressor's failure, as the planner reports it, is known in the notes and the explanation", async () => {
    const tokenizer = await loadTokenizer('o200k_base');
    const text = Array.from(
      { length: 30 },
      (_, i) => `## Step ${i}\n\nRestart the worker (pool ${i}) and wait.\n`,
    ).join('\n');
    const result = await planContext({
      sources: [{ id: 'runbook.md', text, languageId: 'markdown', priority: 50 }],
      budget: 120,
      compressor: 'auto',
      count: async (t) => tokenizer.count(t),
      planning: tokenizer,
      structural,
      llmlingua2: () => Promise.reject(new Error('model.onnx not found (x)')),
    });
    const failures = result.noteData
      .map((n) => (n.kind === 'source' ? sourceNote(n) : n))
      .filter((n) => n.kind === 'failed');
    assert.deepEqual(failures, [
      { kind: 'failed', label: 'runbook.md', compressor: 'llmlingua2', reason: 'model.onnx not found (x)' },
    ]);
    const summary = result.sources[0]!.summary;
    assert.deepEqual(summary.failures.map(failureOf), [
      { compressor: 'llmlingua2', reason: 'model.onnx not found (x)' },
    ]);
    // The explanation words the failure with the surface's words, not the packer's text.
    const words: ExplainWords = { ...ENGLISH, failed: (c, r) => `<${c} kaputt: ${r}>` };
    assert.match(explainSource(summary, words), /<llmlingua2 kaputt: model\.onnx not found \(x\)>/);
    assert.doesNotMatch(explainSource(summary, words), /not offered/);
    assert.match(explainSource(summary), /llmlingua2 failed \(model\.onnx not found \(x\)\); not offered/);
  });

  it("a model's runtime is a note for the user; its notes about one rung are not", () => {
    assert.deepEqual(modelNote('LLMLingua-2 ran on onnxruntime-node (GPU not used: no adapter)'), {
      kind: 'modelRan',
      runtime: 'onnxruntime-node (GPU not used: no adapter)',
    });
    assert.equal(noteText(modelNote('LLMLingua-2 ran on a stub')!), 'LLMLingua-2 ran on a stub');
    for (const rung of [
      'protected identifiers (120 tokens) kept outside the rate',
      'protected identifiers alone exceed the budget (40 of them); some were dropped to stay within it',
      'forced words alone exceed the budget; some forced words were dropped',
      'already within budget; returned unchanged',
    ]) {
      assert.equal(modelNote(rung), undefined, rung);
    }
  });

  it('a text no one knows stays as it was, in every surface', () => {
    const note = { kind: 'source' as const, label: 'a', text: 'something new' };
    assert.equal(sourceNote(note), note);
    assert.equal(noteText(note, { ...ENGLISH_NOTES }), 'a: something new');
  });
});
