// Budget arithmetic shared by the status bar, CodeLens, CLI and chat: one place decides what "budget" means.

export interface BudgetSettings {
  /** Explicit budget in tokens; 0 or undefined means "window minus reserve". */
  budgetTokens?: number;
  /** Tokens kept free for the model's answer. */
  reserveTokens: number;
}

export interface BudgetTarget {
  contextWindow: number;
  inputPricePerMTok?: number;
}

export type BudgetLevel = 'ok' | 'warning' | 'error';

export interface BudgetUsage {
  tokens: number;
  budget: number;
  /** tokens / budget, as a fraction. */
  fractionOfBudget: number;
  /** tokens / context window, as a fraction. */
  fractionOfWindow: number;
  /** US dollars for sending these tokens as input, when the price is known. */
  costUsd?: number;
  level: BudgetLevel;
}

export const WARNING_FRACTION = 0.8;

export function effectiveBudget(target: BudgetTarget, settings: BudgetSettings): number {
  if (settings.budgetTokens && settings.budgetTokens > 0) {
    return Math.min(settings.budgetTokens, target.contextWindow);
  }
  // A reserve larger than half the window (small chat models) would leave almost nothing: cap it there.
  const reserve = Math.min(Math.max(0, settings.reserveTokens), Math.floor(target.contextWindow / 2));
  return Math.max(1, target.contextWindow - reserve);
}

export function budgetUsage(tokens: number, target: BudgetTarget, settings: BudgetSettings): BudgetUsage {
  const budget = effectiveBudget(target, settings);
  const fractionOfBudget = tokens / budget;
  const level: BudgetLevel = fractionOfBudget > 1 ? 'error' : fractionOfBudget >= WARNING_FRACTION ? 'warning' : 'ok';
  return {
    tokens,
    budget,
    fractionOfBudget,
    fractionOfWindow: tokens / target.contextWindow,
    costUsd: target.inputPricePerMTok === undefined ? undefined : (tokens * target.inputPricePerMTok) / 1_000_000,
    level,
  };
}
