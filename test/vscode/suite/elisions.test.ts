// The originals behind reversible markers outlive the extension host: ids made before a restart still expand after
// it. The restart ends this host (and the mocha run in it); the new host runs the suite again from the start, so the
// first half runs in a root `before` hook, before any other test, and leaves its state in a workspace file that the
// second half, the test itself, reads.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { api, workspaceFile } from '../helpers';

const SUITE = 'reversible markers';
const TITLE = 'an id made before an extension host restart still expands after it, from the workspace storage';
const STATE = '.restart-state.json';
const FILE = 'ledger.py';
const ID_RE = /contextBudget_expand\("([a-z][0-9a-z]{7})"\)/g;

interface State {
  pid: number;
  expected: Record<string, string>;
}

function ledger(): string {
  const parts = ['"""Ledger helpers."""\n'];
  for (let i = 0; i < 12; i++) {
    parts.push(`
def balance_after_${i}(entries, opening=0):
    """Return the balance of account ${i} after every entry, starting from the opening balance."""
    total = opening
    for entry in entries:
        total += entry.amount if entry.account == ${i} else 0
    return round(total, 2)
`);
  }
  return parts.join('');
}

const text = (r: vscode.LanguageModelToolResult) =>
  r.content.map((p) => (p instanceof vscode.LanguageModelTextPart ? p.value : '')).join('');
const expand = async (id: string) =>
  text(await vscode.lm.invokeTool('contextBudget_expand', { input: { id }, toolInvocationToken: undefined }));

async function readState(): Promise<State | undefined> {
  try {
    return JSON.parse(new TextDecoder().decode(await vscode.workspace.fs.readFile(workspaceFile(STATE)))) as State;
  } catch {
    return undefined;
  }
}

/** Whether this run selects the test (CB_TEST_GREP, see test/vscode/index.ts): else no restart either. */
function selected(): boolean {
  const grep = process.env.CB_TEST_GREP;
  return !grep || new RegExp(grep).test(`${SUITE} ${TITLE}`);
}

// First half, before every other test: compress, wait until the originals are on disk, note what each id expands
// to, restart the host. Nothing after the restart command runs in this host.
before(async function () {
  if (!selected() || (await readState())) return;
  this.timeout(120_000);
  await api();
  await vscode.workspace.fs.writeFile(workspaceFile(FILE), new TextEncoder().encode(ledger()));
  const out = text(
    await vscode.lm.invokeTool('contextBudget_compress', {
      input: { uris: [FILE] },
      toolInvocationToken: undefined,
      tokenizationOptions: { tokenBudget: 400, countTokens: async (t) => Math.ceil(t.length / 3) },
    }),
  );
  const ids = [...out.matchAll(ID_RE)].map((m) => m[1]!);
  assert.ok(ids.length >= 3, `markers name the expand call: ${out.slice(0, 600)}`);
  const expected: Record<string, string> = {};
  for (const id of ids.slice(0, 3)) {
    expected[id] = await expand(id);
    assert.ok(ledger().includes(expected[id]) && expected[id].length > 20, `#${id} expands before the restart`);
  }
  await (await api()).elisionsSaved();
  const state: State = { pid: process.pid, expected };
  await vscode.workspace.fs.writeFile(workspaceFile(STATE), new TextEncoder().encode(JSON.stringify(state)));
  // Desktop restarts the host alone; code-server's web workbench has no such command and reloads the window, which
  // starts a new extension host the same way (the test payload in the URL runs the suite again).
  const commands = await vscode.commands.getCommands(true);
  const restart = commands.includes('workbench.action.restartExtensionHost')
    ? 'workbench.action.restartExtensionHost'
    : 'workbench.action.reloadWindow';
  await vscode.commands.executeCommand(restart);
  // The host ends here; if it does not, the hook's timeout fails the run.
  await new Promise<never>(() => undefined);
});

describe(SUITE, () => {
  it(TITLE, async () => {
    const state = await readState();
    assert.ok(state, `the first half (the root before hook) left ${STATE}`);
    try {
      assert.notEqual(process.pid, state.pid, 'this is a new extension host process');
      await api();
      for (const [id, original] of Object.entries(state.expected)) {
        assert.equal(await expand(id), original, `#${id} after the restart`);
      }
      assert.match(await expand('zzzzzzzz'), /^Unknown id #zzzzzzzz: no compressed context held here has it/);
    } finally {
      await vscode.workspace.fs.delete(workspaceFile(STATE));
    }
  });
});
