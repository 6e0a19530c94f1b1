import { describe, expect, it } from '@jest/globals';
import { InvalidTemplates, parseTemplates } from '../src/template-validation.js';
import { BUILT_IN_TEMPLATES } from '../src/templates.js';

const builtIn = () => JSON.parse(JSON.stringify(BUILT_IN_TEMPLATES));

function failure(value: unknown): InvalidTemplates {
  try {
    parseTemplates(value);
  } catch (error) {
    if (error instanceof InvalidTemplates) return error;
    throw error;
  }
  throw new Error('expected the templates to be refused');
}

describe('parseTemplates', () => {
  it('accepts the built-in templates as data, unchanged', () => {
    expect(parseTemplates(builtIn())).toEqual(BUILT_IN_TEMPLATES);
  });

  it('accepts a policy and dependencies', () => {
    const templates = builtIn();
    templates[0].policy = { requireGoVotes: true };
    expect(parseTemplates(templates)[0].policy).toEqual({ requireGoVotes: true });
  });

  it.each([
    ['a bad department', (t: any) => (t[0].tasks[2].department = 'hr'), '[0].tasks[2].department'],
    ['a bad kind', (t: any) => (t[1].tasks[0].kind = 'party'), '[1].tasks[0].kind'],
    ['a negative lead time', (t: any) => (t[2].tasks[1].dueDaysBeforeLaunch = -1), '[2].tasks[1].dueDaysBeforeLaunch'],
    ['an unknown field', (t: any) => (t[0].tasks[0].owner = 'x'), '[0].tasks[0].owner'],
    ['a repeated key', (t: any) => (t[2].tasks[1].key = t[2].tasks[0].key), '[2].tasks[1].key'],
    ['a dependency on nothing', (t: any) => (t[2].tasks[0].dependsOn = ['nope']), '[2].tasks[0].dependsOn[0]'],
    ['a missing tier', (t: any) => t.pop(), '(root)'],
    ['a bad policy', (t: any) => (t[0].policy = { requireGoVotes: 'yes' }), '[0].policy.requireGoVotes'],
  ])('refuses %s, naming the field', (_, breakIt, field) => {
    const templates = builtIn();
    breakIt(templates);
    expect(failure(templates).field).toBe(field);
  });

  it('refuses a dependency cycle', () => {
    const templates = builtIn();
    templates[2].tasks[0].dependsOn = [templates[2].tasks[1].key];
    templates[2].tasks[1].dependsOn = [templates[2].tasks[0].key];
    expect(failure(templates).reason).toMatch(/cycle/);
  });
});
