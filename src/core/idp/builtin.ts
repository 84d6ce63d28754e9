// The built-in curated pool, bundled as data (media/prompts/builtin.json) so both extension hosts have it
// without file access; validated like any user pool so a bad edit fails tests, not users.
import data from '../../../media/prompts/builtin.json';
import { parsePool, type PromptPool } from './schema';

let pool: PromptPool | undefined;

export function builtinPool(): PromptPool {
  pool ??= parsePool(data, 'media/prompts/builtin.json');
  return pool;
}
