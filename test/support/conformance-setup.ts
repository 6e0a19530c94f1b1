import { afterAll, afterEach } from '@jest/globals';
import { recordFetchedAnswers, takeNonconforming } from './conformance-recorder.js';

// Every answer a test app sent during a test, and every answer fetched from an API process, must
// conform to the OpenAPI document.
async function failOnNonconforming(): Promise<void> {
  const problems = await takeNonconforming();
  if (problems.length > 0) {
    throw new Error(`${problems.length} answer(s) do not conform to the OpenAPI document (/docs-json):\n${problems.slice(0, 20).join('\n')}`);
  }
}

recordFetchedAnswers();
afterEach(failOnNonconforming);
afterAll(failOnNonconforming);
