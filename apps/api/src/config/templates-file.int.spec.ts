import { afterAll, describe, expect, it } from '@jest/globals';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BUILT_IN_TEMPLATES } from '#launch';
import { loadConfig } from './app-config.js';
import { TemplatesFileError } from './templates-file.js';

describe('TEMPLATES_FILE', () => {
  const dir = mkdtempSync(join(tmpdir(), 'templates-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const file = (name: string, content: string) => {
    const path = join(dir, name);
    writeFileSync(path, content);
    return path;
  };

  it('defaults to the built-in templates', () => {
    expect(loadConfig({}).templates).toBe(BUILT_IN_TEMPLATES);
  });

  it('loads a valid file in place of the built-in templates', () => {
    const custom = JSON.parse(JSON.stringify(BUILT_IN_TEMPLATES));
    custom[0].version = 'acme-7';
    custom[0].policy = { requireGoVotes: true };
    const templates = loadConfig({ TEMPLATES_FILE: file('ok.json', JSON.stringify(custom)) }).templates;
    expect(templates[0]).toMatchObject({ version: 'acme-7', policy: { requireGoVotes: true } });
  });

  it('refuses an invalid file, naming the file and the offending field', () => {
    const custom = JSON.parse(JSON.stringify(BUILT_IN_TEMPLATES));
    custom[1].tasks[3].kind = 'party';
    const path = file('bad.json', JSON.stringify(custom));
    let error: unknown;
    try {
      loadConfig({ TEMPLATES_FILE: path });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(TemplatesFileError);
    expect((error as Error).message).toContain(path);
    expect((error as Error).message).toContain('[1].tasks[3].kind');
  });

  it('refuses a file that is not JSON or does not exist', () => {
    expect(() => loadConfig({ TEMPLATES_FILE: file('broken.json', '{') })).toThrow(/not valid JSON/);
    expect(() => loadConfig({ TEMPLATES_FILE: join(dir, 'missing.json') })).toThrow(/cannot be read/);
  });
});
