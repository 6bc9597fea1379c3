import { describe, expect, it } from 'vitest';
import { descendants, rollupBytes, treeMemory } from '../../scripts/bench/process-tree.ts';
import { median, unitCosts } from '../../scripts/bench/unit-costs.ts';

describe('unitCosts', () => {
  it('prices a check by those that spend no authorization, and an authorization by what it adds to the others', () => {
    const costs = unitCosts([
      { status: 'SUCCESS', durationMs: 10, authorizations: 0 },
      { status: 'SUCCESS', durationMs: 20 },
      { status: 'WARNING', durationMs: 4000, authorizations: 1 }, // starts the browser: a one-time cost
      { status: 'SUCCESS', durationMs: 315, authorizations: 1 },
      { status: 'SUCCESS', durationMs: 615, authorizations: 2 },
      { status: 'SKIPPED', durationMs: 0 },
    ]);
    expect(costs).toEqual({ checks: 5, authorizations: 4, checksMs: 4960, perCheckMs: 15, perAuthorizationMs: 300 });
  });

  it('takes the middle of an even count as the mean of the two middle values', () => {
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([])).toBe(0);
  });
});

describe('the process tree', () => {
  it('finds every descendant of the root, and nothing else', () => {
    const parents = new Map([[10, 1], [11, 10], [12, 11], [13, 10], [20, 1]]);
    expect(descendants(10, parents).sort()).toEqual([10, 11, 12, 13]);
  });

  it('reads Rss and Pss from smaps_rollup in bytes', () => {
    expect(rollupBytes('00-ff ---p 0 00:00 0 [rollup]\nRss:  2048 kB\nPss:   512 kB\nPss_Anon: 100 kB\n')).toEqual({ rss: 2048 * 1024, pss: 512 * 1024 });
  });

  it('measures this process', () => {
    const memory = treeMemory(process.pid);
    expect(memory.processes).toBeGreaterThanOrEqual(1);
    expect(memory.pssBytes).toBeGreaterThan(0);
    expect(memory.rssBytes).toBeGreaterThanOrEqual(memory.pssBytes);
  });
});
