/**
 * Live progress on stderr (stdout stays the report): on a terminal one line per task, redrawn in place with its
 * ETA; with --ci or when stderr is not a terminal, one plain line per step, so CI logs stay readable.
 */

export interface Task {
  step(detail: string): void;
  done(): void;
}

export interface Progress {
  start(label: string, total: number): Task;
}

const seconds = (ms: number) => (ms >= 60_000 ? `${Math.floor(ms / 60_000)}m${Math.round((ms % 60_000) / 1000)}s` : `${Math.round(ms / 1000)}s`);

export function createProgress(out: NodeJS.WriteStream, opts: { live: boolean; quiet?: boolean }): Progress {
  return {
    start(label, total) {
      const started = Date.now();
      let n = 0;
      const line = (detail: string) => {
        const elapsed = Date.now() - started;
        const eta = n > 0 && n < total ? ` · ETA ${seconds((elapsed / n) * (total - n))}` : "";
        return `${label}: ${n}/${total}${eta} · ${detail}`;
      };
      return {
        step(detail) {
          n++;
          if (opts.quiet) return;
          if (opts.live) {
            const text = line(detail);
            const width = out.columns ? out.columns - 1 : 120;
            out.write(`\r\x1b[2K${text.length > width ? `${text.slice(0, width - 1)}…` : text}`);
          } else out.write(`${line(detail)}\n`);
        },
        done() {
          if (opts.quiet) return;
          const text = `${label}: done, ${n}/${total} in ${seconds(Date.now() - started)}`;
          out.write(opts.live ? `\r\x1b[2K${text}\n` : `${text}\n`);
        },
      };
    },
  };
}
