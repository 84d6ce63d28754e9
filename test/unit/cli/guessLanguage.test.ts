// The language of code on stdin, from its content (the CLI's `-` without --language).
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { guessLanguage } from '../../../src/cli/guessLanguage';

const FIXTURES = join(__dirname, '../../fixtures');

describe('guessLanguage (stdin)', () => {
  it('recognises the fixtures of each language by content alone', () => {
    const expected: Record<string, string | undefined> = {
      'structural/sample.py': 'python',
      'structural/sample.ts': 'typescript',
      'structural/sample.go': 'go',
      'structural/lru.rs': 'rust',
      'structural/sample.js': 'javascript',
      'structural/Sample.java': 'java',
      'structural/sample.c': 'c',
      'structural/sample.json': 'json',
      'structural/sample.md': 'markdown',
      'devtexts/ci.log': undefined,
      // Plain paragraphs without Markdown syntax: prose either way.
      'devtexts/prose.md': undefined,
    };
    for (const [file, language] of Object.entries(expected)) {
      assert.equal(guessLanguage(readFileSync(join(FIXTURES, file), 'utf8')), language, file);
    }
  });

  it('JSDoc-heavy JavaScript is code, not a Markdown list; a shebang decides', () => {
    const js = [
      '/**',
      ' * Formats the help.',
      ' * - one',
      ' * - two',
      ' */',
      "const { wrap } = require('./wrap.js');",
      'class Help {',
      '  /**',
      '   * @param {Command} cmd',
      '   */',
      '  visibleCommands(cmd) {',
      '    return cmd.commands.filter((c) => !c.hidden);',
      '  }',
      '}',
      'module.exports = { Help };',
    ].join('\n');
    assert.equal(guessLanguage(js), 'javascript');
    assert.equal(guessLanguage('#!/usr/bin/env python3\nprint("hi")\n'), 'python');
    assert.equal(guessLanguage('The build failed twice today.\nRetrying helped.\n'), undefined);
  });
});
