import { describe, expect, it } from 'vitest';
import { authorizationCount, budgetLines, CODE_BUDGET, countAuthorization } from '../../support/reporting/code-budget.ts';

describe('the code budget', () => {
  it('counts each authorization on the running test\'s meta, which travels to the reporter', ({ task }) => {
    countAuthorization();
    countAuthorization();
    expect(task.meta.authorizations).toBe(2);
  });

  it('sums the checks\' counts against the budget of 35', () => {
    expect(CODE_BUDGET).toBe(35);
    expect(authorizationCount([{ authorizations: 3 }, {}, { authorizations: 0 }, { authorizations: 4 }])).toEqual({ total: 7, budget: 35 });
  });

  it('prints one line under or at the budget, and a loud second line over it', () => {
    expect(budgetLines({ total: 35, budget: 35 })).toEqual([{ text: 'browser authorizations: 35 (budget 35)' }]);
    const over = budgetLines({ total: 40, budget: 35 });
    expect(over[0]).toEqual({ text: 'browser authorizations: 40 (budget 35)' });
    expect(over[1].error).toBe(true);
    expect(over[1].text).toMatch(/^over the budget of 35 browser authorizations by 5: a design target, not a failure/);
  });
});
