import { readFileSync } from 'node:fs';
import { InvalidTemplates, parseTemplates, type TierTemplate } from '#launch';

/** TEMPLATES_FILE cannot be used; the message names the file and the offending field. */
export class TemplatesFileError extends Error {
  constructor(
    readonly file: string,
    readonly field: string,
    reason: string,
  ) {
    super(`TEMPLATES_FILE ${file} is invalid at ${field}: ${reason}`);
    this.name = 'TemplatesFileError';
  }
}

/** Reads and validates the tier templates a company configures instead of the built-in ones. */
export function loadTemplatesFile(file: string): TierTemplate[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new TemplatesFileError(file, '(file)', `cannot be read: ${(error as Error).message}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new TemplatesFileError(file, '(file)', `is not valid JSON: ${(error as Error).message}`);
  }
  try {
    return parseTemplates(json);
  } catch (error) {
    if (error instanceof InvalidTemplates) throw new TemplatesFileError(file, error.field, error.reason);
    throw error;
  }
}
