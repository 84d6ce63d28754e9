import { readFileSync } from 'node:fs';

export function parseConfig(path: string): Record<string, unknown> {
  const raw = readFileSync(path, 'utf8');
  return JSON.parse(raw) as Record<string, unknown>;
}

export class TokenLedger {
  private entries: Array<{ name: string; tokens: number }> = [];

  add(name: string, tokens: number): void {
    this.entries.push({ name, tokens });
  }

  total(): number {
    return this.entries.reduce((sum, e) => sum + e.tokens, 0);
  }
}

export const DEFAULT_BUDGET = 128_000;
