// Question focus picks the unit the question names: `SessionStore.get`, `nack`, `Queue::nack`, `Session.send` are
// kept whole first when they fit, and a type's opening line, a three-line accessor or an import block does not take
// their place because its few words match.
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { planContext, type PlanRequest } from '../../../src/core/planner/index';
import { createStructuralCompressor } from '../../../src/core/structural/index';
import { loadTokenizer } from '../../../src/core/tokens/tokenizers';
import { readWasm } from '../../../src/node/treeSitterFiles';
import { RETENTION_DIR } from './retentionSet';

const structural = createStructuralCompressor({ readWasm });
const FOCUS_DIR = join(__dirname, '../../fixtures/focus');

describe('question focus: the unit the question names', function () {
  this.timeout(120_000);
  let base: Pick<PlanRequest, 'count' | 'planning' | 'structural' | 'compressor'>;
  before(async () => {
    const o200k = await loadTokenizer('o200k_base');
    base = { count: (t) => o200k.count(t), planning: o200k, structural, compressor: 'structural' };
  });

  async function plan(
    dir: string,
    file: string,
    languageId: string,
    question: string,
    size: { rate?: number; budget?: number },
  ) {
    const text = readFileSync(join(dir, file), 'utf8');
    const result = await planContext({
      ...base,
      budget: size.budget ?? 0,
      ...(size.rate !== undefined ? { rate: size.rate } : {}),
      question,
      sources: [{ id: file, text, languageId, priority: 50, header: `### ${file}\n` }],
    });
    assert.ok(result.tokens <= result.budget, `${result.tokens} > ${result.budget}`);
    return { text, result, labels: result.focus.map((u) => u.label) };
  }

  for (const question of [
    'Does SessionStore.get extend the session expiry on use?',
    'Does SessionStore::get extend the session expiry on use?',
  ]) {
    it(`auth.py at 30%: "${question}" keeps the method, not the one-line class header or login`, async () => {
      const { result, labels } = await plan(RETENTION_DIR, 'auth.py', 'python', question, { rate: 0.3 });
      assert.match(labels[0] ?? '', /^auth\.py › SessionStore\.get:92-99$/, labels.join(', '));
      assert.ok(!labels.some((l) => /› SessionStore:80$/.test(l)), labels.join(', '));
      assert.ok(result.context.includes('session.expires_at = self.clock() + SESSION_TTL_SECONDS'));
      assert.match(result.context, /### auth\.py › SessionStore\.get:92-99 \(kept whole for the question\)\n/);
    });
  }

  for (const question of [
    'When does nack move a job to the dead letters?',
    'When does Queue::nack move a job to the dead letters?',
  ]) {
    it(`queue.rs at 30%: "${question}" keeps nack, not the three-line dead_letters accessor`, async () => {
      const { result, labels } = await plan(RETENTION_DIR, 'queue.rs', 'rust', question, { rate: 0.3 });
      assert.match(labels[0] ?? '', /^queue\.rs › Queue\.nack:\d+-\d+$/, labels.join(', '));
      assert.ok(!labels.some((l) => /dead_letters/.test(l)), labels.join(', '));
      assert.ok(result.context.includes('if job.attempts >= MAX_ATTEMPTS {'));
    });
  }

  it('httpclient.go at 30%: "a new host breaker" keeps the breaker method before the Breaker type', async () => {
    const { result, labels } = await plan(
      RETENTION_DIR,
      'httpclient.go',
      'go',
      'What threshold and cool-down does a new host breaker get?',
      { rate: 0.3 },
    );
    assert.match(labels[0] ?? '', /^httpclient\.go › breaker:\d+-\d+$/, labels.join(', '));
    assert.ok(result.context.includes('b = &Breaker{threshold: 5, coolDown: 20 * time.Second}'));
  });

  for (const question of [
    'How are cookies and hooks handled when sending a request?',
    'How does the adapter send a request?',
    'How does Session.send dispatch the response hooks?',
  ]) {
    it(`sessions.py at 400 tokens: "${question}" keeps no import block as an excerpt`, async () => {
      const { text, result, labels } = await plan(FOCUS_DIR, 'sessions.py', 'python', question, { budget: 400 });
      for (const unit of result.focus) {
        const first = text.slice(unit.start, unit.end).trimStart();
        assert.ok(!/^(from|import)\s/.test(first), `${unit.label} is an import block`);
        // Every excerpt is a function or method: its label names what it declares.
        assert.match(unit.label, /^sessions\.py › [\w.]+:\d+-\d+$/, labels.join(', '));
      }
    });
  }

  it('sessions.py: "How does the adapter send a request?" at 400 tokens keeps Session.get_adapter', async () => {
    const { labels } = await plan(FOCUS_DIR, 'sessions.py', 'python', 'How does the adapter send a request?', {
      budget: 400,
    });
    assert.deepEqual(labels, ['sessions.py › Session.get_adapter:870-881']);
  });

  it('sessions.py: Session.send, named, is kept first once it fits (not the mixin stub of the same name)', async () => {
    const { result, labels } = await plan(FOCUS_DIR, 'sessions.py', 'python', 'How does Session.send send a request?', {
      budget: 1500,
    });
    assert.equal(labels[0], 'sessions.py › Session.send:752-829', labels.join(', '));
    assert.ok(result.context.includes('r = adapter.send(request, **kwargs)'));
  });
});
