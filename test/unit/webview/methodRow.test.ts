// The savings view's method row: what ran, in the words the host sent with each source (ViewSource.what), not the
// method's id ("structural:signatures"); the id only for a record that carries no words.
import * as assert from 'node:assert/strict';
import { methodText, parseHostMessage, type ViewResult, type ViewState } from '../../../src/webviewProtocol';

const source = (label: string, what?: string) => ({
  label,
  originalTokens: 100,
  tokens: 40,
  explanation: `${what ?? 'x'} — 3 von 9 Zeilen behalten`,
  ...(what !== undefined ? { what } : {}),
});

function result(method: string, sources: ViewResult['sources']): ViewResult {
  return {
    method,
    notes: [],
    originalTokens: 100,
    compressedTokens: 40,
    budget: 50,
    contextWindow: 1000,
    costBeforeUsd: null,
    costAfterUsd: null,
    compressedText: '',
    segments: [],
    sources,
    untouched: false,
  };
}

describe('the savings view’s method row', () => {
  it('says what ran in the host’s words, each distinct one once', () => {
    assert.equal(
      methodText(result('structural:signatures', [source('a.ts', 'strukturell: Signaturen')])),
      'strukturell: Signaturen',
    );
    assert.equal(
      methodText(
        result('packer', [
          source('a.ts', 'strukturell: Signaturen'),
          source('b.md', 'LLMLingua-2 mit Rate 0,5'),
          source('c.ts', 'strukturell: Signaturen'),
        ]),
      ),
      'strukturell: Signaturen, LLMLingua-2 mit Rate 0,5',
    );
    assert.equal(
      methodText(result('chat request (budget planner)', [source('a.ts')])),
      'chat request (budget planner)',
    );
  });

  it('the words reach the view: the host message keeps ViewSource.what', () => {
    const state: ViewState = {
      source: { label: 'a.ts', languageId: 'typescript', canReplace: true },
      model: { label: 'GPT', approximate: false },
      options: {
        mode: 'budget',
        budget: 50,
        rate: 0.5,
        compressor: 'auto',
        forceTokens: [],
        keepDigits: false,
      },
      compressors: [],
      busy: false,
      progress: null,
      result: result('structural:signatures', [source('a.ts', 'strukturell: Signaturen')]),
      error: null,
    };
    const parsed = parseHostMessage(JSON.parse(JSON.stringify({ type: 'state', state })));
    assert.ok(parsed.ok && parsed.value.type === 'state', JSON.stringify(parsed));
    assert.equal(methodText(parsed.value.state.result!), 'strukturell: Signaturen');
  });
});
