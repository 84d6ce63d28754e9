import * as assert from 'node:assert/strict';
import { fitGeometry, sourceBars } from '../../../webview/picture';
import { fillIn } from '../../../src/webviewProtocol';

describe('savings picture geometry', () => {
  it('scales an ordinary file to its figures, not to a 128k window (which goes on past the bar)', () => {
    const g = fitGeometry(135, 90, 94, 128_000);
    assert.equal(g.windowBeyond, true);
    assert.equal(g.window, 100);
    // The largest figure (135) fills the bar less the headroom that keeps the budget mark visible.
    assert.ok(g.before > 90 && g.before < 100, `before ${g.before}`);
    assert.ok(Math.abs(g.after / g.before - 90 / 135) < 1e-9);
    assert.ok(Math.abs(g.budget / g.before - 94 / 135) < 1e-9);
    assert.equal(g.overBudget, false);
    assert.equal(g.overWindow, false);
  });

  it('draws a nearby window to scale, and marks a result over the budget and a source over the window', () => {
    const g = fitGeometry(9_000, 5_000, 4_096, 8_192);
    assert.equal(g.windowBeyond, false);
    // One scale for all: the window's edge sits where 8,192 is, and before reaches past it.
    assert.ok(Math.abs(g.window / g.before - 8_192 / 9_000) < 1e-9);
    assert.ok(g.before > g.window && g.before <= 100);
    assert.equal(g.overBudget, true);
    assert.equal(g.overWindow, true);
  });

  it('puts every source on one scale: the largest original fills its row', () => {
    const bars = sourceBars([
      { originalTokens: 1_000, tokens: 250 },
      { originalTokens: 500, tokens: 500 },
      { originalTokens: 200, tokens: 0 },
    ]);
    assert.deepEqual(bars, [
      { original: 100, given: 25 },
      { original: 50, given: 50 },
      { original: 20, given: 0 },
    ]);
  });

  it('fills view-string placeholders and leaves ones without an argument', () => {
    assert.equal(fillIn('{0} → {1} tokens', '1,200', 300), '1,200 → 300 tokens');
    assert.equal(fillIn('Keep {0} of {1}', '50%'), 'Keep 50% of {1}');
  });
});
