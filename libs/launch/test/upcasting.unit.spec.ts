import { describe, expect, it } from '@jest/globals';
import { evolve, initialState, schemaVersionOf, toLaunchEvent } from '../src/index.js';

const v1SalesTrained = {
  type: 'SalesTrained',
  data: { taskId: 't-sales', note: 'trained', details: { sessionDate: '2026-12-01', repsTrained: 12 } },
  metadata: { occurredAt: '2026-12-01T10:00:00.000Z' },
};

describe('event upcasting', () => {
  it('reads a SalesTrained stored before repsTotal existed (v1) with repsTotal = repsTrained', () => {
    expect(toLaunchEvent(v1SalesTrained)).toEqual({
      type: 'SalesTrained',
      data: { taskId: 't-sales', note: 'trained', details: { sessionDate: '2026-12-01', repsTrained: 12, repsTotal: 12 } },
    });
  });

  it('leaves the stored event untouched', () => {
    const stored = structuredClone(v1SalesTrained);
    toLaunchEvent(stored);
    expect(stored).toEqual(v1SalesTrained);
  });

  it('passes a current (v2) SalesTrained through as stored', () => {
    const v2 = {
      ...v1SalesTrained,
      data: { taskId: 't', details: { sessionDate: '2026-12-01', repsTrained: 3, repsTotal: 9 } },
      metadata: { schemaVersion: 2 },
    };
    expect(toLaunchEvent(v2)?.data).toEqual(v2.data);
  });

  it('does not apply the v1 upcaster to an event recorded as v2', () => {
    const v2WithoutTotal = { ...v1SalesTrained, metadata: { schemaVersion: 2 } };
    expect(toLaunchEvent(v2WithoutTotal)?.data).toEqual(v1SalesTrained.data);
  });

  it('skips event types the domain does not know', () => {
    expect(toLaunchEvent({ type: 'SomethingElse', data: {}, metadata: {} })).toBeNull();
  });

  it('records SalesTrained at version 2 and every other type at version 1', () => {
    expect(schemaVersionOf('SalesTrained')).toBe(2);
    expect(schemaVersionOf('TaskBlocked')).toBe(1);
  });

  it('folds an upcast v1 event into a task carrying repsTotal', () => {
    const created = toLaunchEvent({
      type: 'LaunchCreated',
      data: {
        launchId: 'l1',
        name: 'L',
        product: 'P',
        tier: 3,
        targetDate: '2027-01-10',
        templateVersion: '1',
        tasks: [{ taskId: 't-sales', key: 'sales', title: 'Train sales', department: 'sales', kind: 'sales-training', required: true, dueDate: '2027-01-01' }],
      },
      metadata: {},
    })!;
    const context = { occurredAt: '2026-12-01T10:00:00.000Z', actor: { id: 'a', name: 'A' } };
    const state = evolve(evolve(initialState, created, context), toLaunchEvent(v1SalesTrained)!, context);
    expect(state.exists && state.tasks[0]).toMatchObject({ status: 'completed', details: { repsTrained: 12, repsTotal: 12 } });
  });
});
