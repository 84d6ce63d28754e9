// Numbers follow the display language (the extension host and the webview set it; the CLI keeps en-US).
import { strict as assert } from 'node:assert';
import { formatBytes, formatCost, formatPercent, formatTokens, setNumberLocale } from '../../../src/core/format';

describe('number formatting', () => {
  afterEach(() => setNumberLocale('en-US'));

  it('writes en-US by default: 128,000 tokens, 4.6%, $0.0075, 1.5 MB', () => {
    assert.equal(formatTokens(128_000), '128,000');
    assert.equal(formatPercent(0.046), '4.6%');
    assert.equal(formatPercent(0.46), '46%');
    assert.equal(formatCost(0.0075), '$0.0075');
    assert.equal(formatCost(1.5), '$1.50');
    assert.equal(formatCost(0), '$0');
    assert.equal(formatCost(undefined), 'n/a');
    assert.equal(formatBytes(512), '512 B');
    assert.equal(formatBytes(1536), '1.5 KB');
    assert.equal(formatBytes(1.5 * 1024 * 1024), '1.5 MB');
    assert.equal(formatBytes(2048 * 1024 * 1024), '2,048.0 MB');
  });

  it('follows the display language once a host sets it: German writes 128.000, 4,6% and 1,5 MB', () => {
    setNumberLocale('de');
    assert.equal(formatTokens(128_000), '128.000');
    assert.equal(formatPercent(0.046), '4,6%');
    assert.match(formatCost(0.0075), /^0,0075\s\$$/);
    // sizes too (the status bar's too-large tooltip, the model download's progress)
    assert.equal(formatBytes(1536), '1,5 KB');
    assert.equal(formatBytes(1.5 * 1024 * 1024), '1,5 MB');
    assert.equal(formatBytes(2048 * 1024 * 1024), '2.048,0 MB');
  });

  it('keeps the previous locale for a malformed tag', () => {
    setNumberLocale('de');
    setNumberLocale('not a tag!');
    assert.equal(formatTokens(1234), '1.234');
  });
});
