import { afterAll, afterEach } from '@jest/globals';
import { takeNonconforming } from './conformance-recorder.js';

// Every answer a test app sent during a test must conform to the OpenAPI document it serves.
async function failOnNonconforming(): Promise<void> {
  const problems = await takeNonconforming();
  if (problems.length > 0) {
    throw new Error(`${problems.length} answer(s) do not conform to the OpenAPI document (/docs-json):\n${problems.slice(0, 20).join('\n')}`);
  }
}

afterEach(failOnNonconforming);
afterAll(failOnNonconforming);
