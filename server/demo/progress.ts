// Shows the demo seed's progress: a cli-progress bar on a terminal, a few plain lines otherwise
// (CI logs and pipes get no carriage-return animation).
import cliProgress from "cli-progress";
import type { SeedProgress } from "./seed";

export interface ProgressReporter {
  onProgress(progress: SeedProgress): void;
  stop(): void;
}

export function seedProgressReporter(stream: NodeJS.WriteStream = process.stdout): ProgressReporter {
  return stream.isTTY ? barReporter(stream) : lineReporter(stream);
}

function barReporter(stream: NodeJS.WriteStream): ProgressReporter {
  const bar = new cliProgress.SingleBar(
    {
      stream,
      format: "  demo city [{bar}] {percentage}% | {value}/{total} documents | {stage}",
      hideCursor: true,
      clearOnComplete: false,
    },
    cliProgress.Presets.shades_classic,
  );
  let started = false;
  return {
    onProgress({ stage, done, total }) {
      if (!started) {
        bar.start(total, done, { stage });
        started = true;
      } else bar.update(done, { stage });
    },
    stop() {
      if (started) bar.stop();
    },
  };
}

/** One line at the start and at each quarter. */
function lineReporter(stream: NodeJS.WriteStream): ProgressReporter {
  let nextQuarter = 0;
  return {
    onProgress({ stage, done, total }) {
      const percent = total === 0 ? 100 : Math.floor((done / total) * 100);
      if (percent < nextQuarter * 25) return;
      stream.write(`  demo city: ${percent}% (${done}/${total} documents, ${stage})\n`);
      nextQuarter = Math.floor(percent / 25) + 1;
    },
    stop() {},
  };
}
