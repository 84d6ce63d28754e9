// The language of code on stdin, from its content (the CLI's `-` without --language, the MCP server's `text`).
import { strict as assert } from 'node:assert';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { guessLanguage } from '../../../src/cli/guessLanguage';
import { languageIdForPath } from '../../../src/core/structural/languages';

const FIXTURES = join(__dirname, '../../fixtures');
const read = (file: string) => readFileSync(join(FIXTURES, file), 'utf8');

describe('guessLanguage (stdin)', () => {
  it('recognises every structural fixture by content alone, as its extension names it', () => {
    for (const name of readdirSync(join(FIXTURES, 'structural'))) {
      const file = `structural/${name}`;
      assert.equal(guessLanguage(read(file)), languageIdForPath(name), file);
    }
  });

  it('real files: Python with docstrings and # comments, requests, express, ripgrep, a git diff', () => {
    const expected: Record<string, string> = {
      // A licence in `#` lines, docstrings with lists: comments, not Markdown headings.
      'stdin/logging_head.py': 'python',
      'stdin/textwrap_head.py': 'python',
      'stdin/json_decoder_head.py': 'python',
      'stdin/sessions_head.py': 'python',
      'stdin/express_response_head.js': 'javascript',
      'stdin/ripgrep_standard_head.rs': 'rust',
      'stdin/textwrap.diff': 'diff',
      'devtexts/change.diff': 'diff',
    };
    for (const [file, language] of Object.entries(expected)) assert.equal(guessLanguage(read(file)), language, file);
  });

  it('logs, traces and plain paragraphs are prose', () => {
    for (const file of ['ci.log', 'java.trace', 'python.trace', 'kubectl.events', 'shell.session', 'prose.md']) {
      assert.equal(guessLanguage(read(`devtexts/${file}`)), undefined, file);
    }
  });

  it('a short excerpt still counts: a few lines of Python whose first line is a comment', () => {
    const python = '# Retry the request once.\nimport os\n\ndef retry(fn):\n    return fn()\n';
    assert.equal(guessLanguage(python), 'python');
    assert.equal(guessLanguage('    def close(self):\n        self.pool.clear()\n'), 'python');
  });

  it('Markdown only when its own syntax dominates: examples in fences or indented blocks are not the language', () => {
    const readme = [
      '# Retry helper',
      '',
      'Wraps a call and retries it. See [the docs](https://example.com/docs) for the options.',
      '',
      '## Install',
      '',
      '```diff',
      'diff --git a/a.py b/a.py',
      '--- a/a.py',
      '+++ b/a.py',
      '@@ -1,2 +1,2 @@',
      '-import os',
      '+import sys',
      '```',
      '',
      '## Usage',
      '',
      '    const retry = require("retry");',
      '    retry(() => fetch(url));',
      '',
      '- works with promises',
      '- and with callbacks',
    ].join('\n');
    assert.equal(guessLanguage(readme), 'markdown');
    assert.equal(guessLanguage('# Notes\n\nThe build failed twice today.\n'), 'markdown');
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
