import { afterEach, describe, expect, it } from '@jest/globals';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { startWorker } from './start-worker.js';

describe('startWorker', () => {
  const dirs: string[] = [];
  const folder = (): string => {
    const dir = mkdtempSync(join(tmpdir(), 'start-worker-'));
    dirs.push(dir);
    return dir;
  };
  const answer = (worker: ReturnType<typeof startWorker>): Promise<unknown> =>
    new Promise((resolve, reject) => {
      worker.once('message', resolve);
      worker.once('error', reject);
    });

  afterEach(() => {
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  it('runs the compiled module when it exists', async () => {
    const dir = folder();
    writeFileSync(join(dir, 'echo.worker.js'), "import { parentPort, workerData } from 'node:worker_threads'; parentPort.postMessage(workerData * 2);");
    const worker = startWorker(new URL('echo.worker.js', pathToFileURL(`${dir}/`)), { workerData: 21 });
    try {
      expect(await answer(worker)).toBe(42);
    } finally {
      await worker.terminate();
    }
  });

  it('runs the TypeScript source, with its typed relative imports, when only that exists', async () => {
    const dir = folder();
    writeFileSync(join(dir, 'double.ts'), 'export const double = (n: number): number => n * 2;\n');
    writeFileSync(
      join(dir, 'echo.worker.ts'),
      "import { parentPort, workerData } from 'node:worker_threads';\nimport { double } from './double.js';\nparentPort!.postMessage(double(workerData as number));\n",
    );
    const worker = startWorker(new URL('echo.worker.js', pathToFileURL(`${dir}/`)), { workerData: 4 });
    try {
      expect(await answer(worker)).toBe(8);
    } finally {
      await worker.terminate();
    }
  });

  it('refuses a module that is not there, naming it', () => {
    const dir = folder();
    expect(() => startWorker(new URL('missing.worker.js', pathToFileURL(`${dir}/`)))).toThrow(/no worker module at .*missing\.worker\.js/);
  });
});
