// Every note and explanation a user can meet in the savings view and @budget's footer, worded with the extension's
// words (src/explainWords.ts) under the German bundle: each phrase comes from l10n/bundle.l10n.de.json, and no
// English text goes around it (a fake vscode.l10n marks what it translated; see fakeVscode.ts). Adding a PlanNote,
// InputNote or SourceOutcome kind without a case here fails to type-check.
import * as assert from 'node:assert/strict';
import { fakeVscode, shown, untranslated } from './fakeVscode';
import { UNIT_KINDS } from '../../../src/core/pack/fill';
import { explainSource, explainWhat, type SourceOutcome, type SourceSummary } from '../../../src/core/planner/explain';
import { noteText, type InputNote, type PlanNote } from '../../../src/core/planner/notes';

type Words = typeof import('../../../src/explainWords');
let local: Words;

/** Labels and names the data brings (a compressor's own message and a runtime's name are not translated). */
const DATA = [
  'a.ts',
  'b.ts',
  'c.md',
  'elixir',
  'tree-sitter-json.wasm',
  'ENOENT',
  'model.onnx not found',
  'onnxruntime-web wasm',
  'LLMLingua-2',
  'JSON',
];

const INPUTS: { [K in InputNote['kind']]: Extract<InputNote, { kind: K }>[] } = {
  syntaxErrors: [
    { kind: 'syntaxErrors', count: 1 },
    { kind: 'syntaxErrors', count: 3 },
  ],
  minified: [{ kind: 'minified' }],
  noGrammar: [{ kind: 'noGrammar', language: 'elixir' }],
  unknownLanguage: [{ kind: 'unknownLanguage' }],
  grammarUnavailable: [{ kind: 'grammarUnavailable', grammar: 'tree-sitter-json.wasm', reason: 'ENOENT' }],
};

const NOTES: { [K in PlanNote['kind']]: Extract<PlanNote, { kind: K }>[] } = {
  fits: [{ kind: 'fits', tokens: 1200, budget: 4000 }],
  attached: [
    { kind: 'attached', label: 'a.ts', times: 2 },
    { kind: 'attached', label: 'a.ts', times: 3, ranges: 1 },
  ],
  overlap: [{ kind: 'overlap', labels: ['a.ts', 'b.ts'], document: 'c.md', start: 10, end: 400 }],
  noModelInstalled: [{ kind: 'noModelInstalled' }],
  cutToFit: [{ kind: 'cutToFit', tokens: 900, kept: 3000, of: 4000 }],
  joinedCut: [{ kind: 'joinedCut', budget: 900 }],
  input: Object.values(INPUTS)
    .flat()
    .map((note) => ({ kind: 'input' as const, label: 'a.ts', note })),
  failed: [{ kind: 'failed', label: 'a.ts', compressor: 'llmlingua2', reason: 'model.onnx not found' }],
  modelRan: [{ kind: 'modelRan', runtime: 'onnxruntime-web wasm' }],
  // The packer's notes as it words them (English text): each one the analyser or the ladder writes is known.
  source: [
    'input has 3 syntax error node(s); levels may keep more than usual',
    'input looks minified or generated (very long lines)',
    "no grammar for 'elixir': whitespace and repeated lines only",
    'unknown language: whitespace and repeated lines only',
    'grammar tree-sitter-json.wasm unavailable (ENOENT): whitespace and repeated lines only',
    'llmlingua2 failed (model.onnx not found); not offered',
  ].map((text) => ({ kind: 'source' as const, label: 'a.ts', text })),
};

const LEVELS: Record<string, string[]> = {
  tree: ['no-comments', 'signatures', 'outline'],
  prose: ['no-comments', 'signatures', 'outline'],
  json: ['no-comments', 'signatures', 'outline'],
  diff: ['no-comments', 'signatures', 'outline'],
  fallback: ['no-comments'],
};
const LEVEL_PAIRS = Object.entries(LEVELS).flatMap(([input, levels]) => levels.map((level) => ({ level, input })));

const OUTCOMES: { [K in SourceOutcome['kind']]: Extract<SourceOutcome, { kind: K }>[] } = {
  whole: [
    { kind: 'whole', why: 'fits' },
    { kind: 'whole', why: 'cheaper' },
  ],
  structural: LEVEL_PAIRS.map((p) => ({ kind: 'structural' as const, ...p })),
  model: [{ kind: 'model' }, { kind: 'model', rate: 0.33 }],
  selected: LEVEL_PAIRS.map((p) => ({ kind: 'selected' as const, ...p })),
  truncated: [
    { kind: 'truncated' },
    ...LEVEL_PAIRS.map((from) => ({ kind: 'truncated' as const, from })),
    { kind: 'truncated', from: { rate: 0.5 } },
    { kind: 'truncated', from: {} },
  ],
  omitted: [
    { kind: 'omitted', why: 'binary' },
    { kind: 'omitted', why: 'budget' },
  ],
};

/** Every unit kind the packer names: the fill's (UNIT_KINDS, and 'units' for a method it lacks), lines', JSON's. */
const UNITS = [...new Set([...Object.values(UNIT_KINDS), 'units', 'lines', 'entries'])];

function summary(outcome: SourceOutcome, extra: Partial<SourceSummary> = {}): SourceSummary {
  return { outcome, units: [], forQuestion: [], failures: [], noModel: false, mergedFrom: [], cut: false, ...extra };
}

/** The text under the German bundle: no message missing from it, no English word around it. */
function assertGerman(text: string, what: string): void {
  assert.deepEqual(fakeVscode.misses, [], `${what}: messages the German bundle lacks`);
  assert.deepEqual(untranslated(text, DATA), [], `${what}: English beside the translation in "${shown(text)}"`);
}

describe('the notes and explanations in German (src/explainWords.ts)', () => {
  before(async () => {
    local = await import('../../../src/explainWords');
  });
  beforeEach(() => {
    fakeVscode.misses.length = 0;
  });

  for (const [kind, notes] of Object.entries(NOTES)) {
    it(`every "${kind}" note`, () => {
      for (const note of notes as PlanNote[]) {
        assertGerman(noteText(note, local.localNoteWords), JSON.stringify(note));
      }
    });
  }

  it("the analyser's and the ladder's notes read in German, with their data", () => {
    const words = (text: string) => shown(noteText({ kind: 'source', label: 'a.ts', text }, local.localNoteWords));
    assert.equal(
      words('input has 3 syntax error node(s); levels may keep more than usual'),
      'a.ts: die Eingabe hat 3 Syntaxfehler; die Stufen behalten womöglich mehr als sonst',
    );
    assert.equal(
      words('llmlingua2 failed (model.onnx not found); not offered'),
      'a.ts: LLMLingua-2 fehlgeschlagen (model.onnx not found); nicht angeboten',
    );
    assert.equal(
      shown(noteText({ kind: 'modelRan', runtime: 'onnxruntime-web wasm' }, local.localNoteWords)),
      'LLMLingua-2 lief auf onnxruntime-web wasm',
    );
  });

  for (const [kind, outcomes] of Object.entries(OUTCOMES)) {
    it(`every "${kind}" outcome, what ran and the whole explanation`, () => {
      for (const outcome of outcomes as SourceOutcome[]) {
        for (const noModel of [false, true]) {
          const s = summary(outcome, { noModel, units: [{ kind: 'lines', kept: 3, total: 9, forQuestion: 0 }] });
          assertGerman(explainWhat(s, local.localExplainWords), `what of ${JSON.stringify(outcome)}`);
          assertGerman(explainSource(s, local.localExplainWords), JSON.stringify(outcome));
        }
      }
    });
  }

  it('every unit kind the packer counts, and every detail of an explanation', () => {
    for (const kind of UNITS) {
      const s = summary(
        { kind: 'structural', level: 'signatures', input: 'tree' },
        {
          units: [{ kind, kept: 12, total: 40, forQuestion: 3, partly: 1 }],
        },
      );
      assertGerman(explainSource(s, local.localExplainWords), kind);
      const selected = summary(
        { kind: 'selected', level: 'outline', input: 'json' },
        {
          units: [{ kind, kept: 12, total: 40, forQuestion: 0 }],
        },
      );
      assertGerman(explainSource(selected, local.localExplainWords), `selected ${kind}`);
    }
    const all = summary(
      { kind: 'model', rate: 0.5 },
      {
        forQuestion: ['a.ts', 'b.ts'],
        protectedKept: { kept: 40, total: 214 },
        shortBy: 780,
        failures: ['llmlingua2 failed (model.onnx not found); not offered'],
        noModel: true,
        mergedFrom: ['b.ts'],
        cut: true,
      },
    );
    assertGerman(explainSource(all, local.localExplainWords), 'every detail');
  });

  it('a source at its floor says what it kept, then the real distance to the next level', () => {
    const s = summary(
      { kind: 'structural', level: 'outline', input: 'tree' },
      {
        units: [{ kind: 'function bodies', kept: 0, total: 22, forQuestion: 0 }],
        shortBy: 780,
      },
    );
    assert.equal(
      shown(explainSource(s, local.localExplainWords)),
      'strukturell: Gliederung — 0 von 22 Funktionsrümpfe behalten; die nächst vollständigere Stufe braucht 780 Tokens mehr',
    );
    assert.equal(
      explainSource(s),
      'structural: outline — 0 of 22 function bodies kept; the next richer level needs 780 more tokens',
    );
  });
});
