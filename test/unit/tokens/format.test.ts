// Numbers follow the display language (the extension host and the webview set it; the CLI keeps en-US).
import { strict as assert } from 'node:assert';
import { formatCost, formatPercent, formatTokens, setNumberLocale } from '../../../src/core/format';

describe('number formatting', () => {
  afterEach(() => setNumberLocale('en-US'));

  it('writes en-US by default: 128,000 tokens, 4.6%, $0.0075', () => {
    assert.equal(formatTokens(128_000), '128,000');
    assert.equal(formatPercent(0.046), '4.6%');
    assert.equal(formatPercent(0.46), '46%');
    assert.equal(formatCost(0.0075), '$0.0075');
    assert.equal(formatCost(1.5), '$1.50');
    assert.equal(formatCost(0), '$0');
    assert.equal(formatCost(undefined), 'n/a');
  });

  it('follows the display language once a host sets it: German writes 128.000 and 4,6%', () => {
    setNumberLocale('de');
    assert.equal(formatTokens(128_000), '128.000');
    assert.equal(formatPercent(0.046), '4,6%');
    assert.match(formatCost(0.0075), /^0,0075\s\$$/);
  });

  it('keeps the previous locale for a malformed tag', () => {
    setNumberLocale('de');
    setNumberLocale('not a tag!');
    assert.equal(formatTokens(1234), '1.234');
  });
});
