/** Where a command-line tool writes, injected so tests can read what it printed. */
export interface CliIo {
  out(line: string): void;
  err(line: string): void;
  env: NodeJS.ProcessEnv;
}

export const processIo: CliIo = {
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
  env: process.env,
};

/** Runs `main` when this module is the process's entry point, and exits with its code. */
export async function runAsProcess(main: (args: string[], io: CliIo) => Promise<number>): Promise<void> {
  try {
    process.exitCode = await main(process.argv.slice(2), processIo);
  } catch (error) {
    processIo.err(error instanceof Error ? error.message : String(error));
    process.exitCode = 2;
  }
}
