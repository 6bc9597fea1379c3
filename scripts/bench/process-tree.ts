/**
 * The memory of a process and all its descendants (the runner, the Vitest worker, the stand-in,
 * every Chromium process), read from Linux's /proc. Chromium's processes share most of their pages,
 * so the sum of their RSS counts those pages once per process: an upper bound. PSS splits each
 * shared page among its sharers, so the tree's sum of PSS is what the run really occupies.
 */
import { readdirSync, readFileSync } from 'node:fs';

export interface TreeMemory {
  processes: number;
  pssBytes: number;
  rssBytes: number;
}

/** The parent of every process running now, by pid. */
function parentsNow(): Map<number, number> {
  const parents = new Map<number, number>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      // "pid (comm) state ppid …": the command name may itself hold spaces and parentheses.
      parents.set(Number(entry), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]));
    } catch {
      // The process ended while we looked.
    }
  }
  return parents;
}

/** `root` and every process below it. */
export function descendants(root: number, parents: ReadonlyMap<number, number>): number[] {
  const children = new Map<number, number[]>();
  for (const [pid, parent] of parents) children.set(parent, [...(children.get(parent) ?? []), pid]);
  const tree = [root];
  for (let i = 0; i < tree.length; i++) tree.push(...(children.get(tree[i]) ?? []));
  return tree;
}

/** Rss and Pss of one process, in bytes, from the text of its /proc/PID/smaps_rollup. */
export function rollupBytes(text: string): { rss: number; pss: number } {
  const kb = (name: string) => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(text)?.[1] ?? 0) * 1024;
  return { rss: kb('Rss'), pss: kb('Pss') };
}

export function treeMemory(root: number): TreeMemory {
  const memory: TreeMemory = { processes: 0, pssBytes: 0, rssBytes: 0 };
  for (const pid of descendants(root, parentsNow())) {
    try {
      const { rss, pss } = rollupBytes(readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8'));
      memory.processes++;
      memory.pssBytes += pss;
      memory.rssBytes += rss;
    } catch {
      // Ended, or a kernel thread without memory of its own.
    }
  }
  return memory;
}

/** Samples the tree under `root` every `intervalMs` until `stop()`, which returns the peaks (each measure's own). */
export function sampleTreeMemory(root: number, intervalMs = 100): { stop(): TreeMemory } {
  const peak: TreeMemory = { processes: 0, pssBytes: 0, rssBytes: 0 };
  const sample = () => {
    const now = treeMemory(root);
    peak.processes = Math.max(peak.processes, now.processes);
    peak.pssBytes = Math.max(peak.pssBytes, now.pssBytes);
    peak.rssBytes = Math.max(peak.rssBytes, now.rssBytes);
  };
  const timer = setInterval(sample, intervalMs);
  return {
    stop() {
      clearInterval(timer);
      return peak;
    },
  };
}
