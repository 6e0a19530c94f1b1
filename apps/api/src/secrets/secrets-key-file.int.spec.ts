import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { spawn } from 'node:child_process';
import { chmodSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadOrCreateSecretsKey, parseSecretsKey, SecretsKeyFileError } from './secrets-key-file.js';

const quiet = { log: () => undefined, warn: () => undefined };

/** `loadOrCreateSecretsKey(file)` in a process of its own; answers the key id it printed. */
function keyIdFromAnotherProcess(file: string): Promise<string> {
  const loader = process.env.TYPESCRIPT_WORKER_LOADER;
  if (!loader) throw new Error('needs TYPESCRIPT_WORKER_LOADER (set by jest.config.js)');
  const module = fileURLToPath(new URL('./secrets-key-file.ts', import.meta.url));
  const register = `data:text/javascript,import{register}from'node:module';register(${JSON.stringify(loader)});`;
  const script = `const { loadOrCreateSecretsKey } = await import(${JSON.stringify(module)}); process.stdout.write(loadOrCreateSecretsKey(${JSON.stringify(file)}, { log() {}, warn() {} }).id);`;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', register, '--input-type=module', '-e', script], {
      env: { ...process.env, NODE_OPTIONS: '' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
    child.on('close', (code) => {
      clearTimeout(timer);
      if (code === 0) resolve(out);
      else reject(new Error(`exit ${code}: ${err}`));
    });
  });
}

describe('the secrets key file', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'secrets-key-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('is generated on first use in a folder of its own (0700), mode 0600, its location printed, and read back the same afterwards', () => {
    const file = join(dir, 'keys', 'secrets.key');
    const printed: string[] = [];
    const key = loadOrCreateSecretsKey(file, { log: (m) => printed.push(m), warn: (m) => printed.push(m) });
    expect(key.key).toHaveLength(32);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(statSync(join(dir, 'keys')).mode & 0o777).toBe(0o700);
    expect(printed).toEqual([expect.stringContaining(file)]);
    expect(printed.join()).not.toContain(key.key.toString('base64'));
    expect(readdirSync(join(dir, 'keys'))).toEqual(['secrets.key']); // no temporary file left
    expect(loadOrCreateSecretsKey(file, quiet)).toEqual(key);
  });

  it('takes a key an operator made (openssl rand -base64 32, or hex), warns when others may read it, refuses anything else', () => {
    const file = join(dir, 'operator.key');
    const key = Buffer.alloc(32, 7);
    writeFileSync(file, `${key.toString('base64')}\n`);
    chmodSync(file, 0o644);
    const warnings: string[] = [];
    expect(loadOrCreateSecretsKey(file, { log: () => undefined, warn: (m) => warnings.push(m) }).key).toEqual(key);
    expect(warnings).toEqual([expect.stringMatching(/readable by others/)]);
    expect(parseSecretsKey(file, key.toString('hex')).id).toBe(parseSecretsKey(file, key.toString('base64')).id);
    for (const bad of ['', 'short', randomish(31), randomish(33)]) expect(() => parseSecretsKey(file, bad)).toThrow(SecretsKeyFileError);
  });

  it('names the file when it cannot be created', () => {
    const blocked = join(dir, 'not-a-folder');
    writeFileSync(blocked, 'x');
    expect(() => loadOrCreateSecretsKey(join(blocked, 'secrets.key'), quiet)).toThrow(/not-a-folder\/secrets.key/);
  });

  it('is one key for processes that start together: the first link wins, the others read it', async () => {
    const file = join(dir, 'shared', 'secrets.key');
    const ids = await Promise.all(Array.from({ length: 5 }, () => keyIdFromAnotherProcess(file)));
    expect(new Set(ids).size).toBe(1);
    expect(ids[0]).toBe(parseSecretsKey(file, readFileSync(file, 'utf8')).id);
    expect(readdirSync(join(dir, 'shared'))).toEqual(['secrets.key']);
  }, 60_000);
});

const randomish = (bytes: number) => Buffer.alloc(bytes, 1).toString('base64');
