// Worker thread: counts big documents away from the extension host's event loop.
import { parentPort } from 'node:worker_threads';
import { countTokens } from '../core/tokens/count';
import { loadTokenizer, type TokenizerId } from '../core/tokens/tokenizers';

export interface CountJob {
  id: number;
  text: string;
  tokenizer: TokenizerId;
}

export type CountReply = { id: number; count: number } | { id: number; error: string };

parentPort?.on('message', async (job: CountJob) => {
  let reply: CountReply;
  try {
    const tokenizer = await loadTokenizer(job.tokenizer);
    reply = { id: job.id, count: await countTokens(job.text, tokenizer) };
  } catch (err) {
    reply = { id: job.id, error: err instanceof Error ? err.message : String(err) };
  }
  parentPort?.postMessage(reply);
});
