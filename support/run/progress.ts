/**
 * What a person watching the run sees while it starts: one line per preflight step, printed as
 * the step begins and completed with its outcome and duration.
 */
export interface Progress {
  step<T>(title: string, work: () => Promise<T>): Promise<T>;
  /** A remark that does not stop the run. */
  note(text: string): void;
}

function duration(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(1)} s`;
}

export function progressPrinter(write: (text: string) => void = (text) => void process.stdout.write(text)): Progress {
  return {
    async step(title, work) {
      write(`preflight: ${title} … `);
      const started = performance.now();
      try {
        const value = await work();
        write(`ok (${duration(performance.now() - started)})\n`);
        return value;
      } catch (error) {
        write('FAILED\n');
        throw error;
      }
    },
    note: (text) => write(`  notice: ${text}\n`),
  };
}
