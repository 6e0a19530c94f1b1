import { randomUUID } from 'node:crypto';
import { describe, expect, it } from '@jest/globals';
import type { ResolvedEvent } from '@kurrent/kurrentdb-client';
import { toEventData, toRecordedEvent, toStreamState } from './event-records.js';
import { UnsupportedPositionError } from './positions.js';

const someEvent = (overrides: Record<string, unknown> = {}) => ({
  eventId: randomUUID(),
  type: 'TaskCompleted',
  data: { taskId: 't-1', nested: { list: [1, 'two', null] } },
  metadata: { correlationId: 'c-1', actor: { id: 'a-1' } },
  ...overrides,
});

/** A resolved event as the client hands it over (convertRustEvent / convertGrpcEvent). */
const resolved = (overrides: Record<string, unknown> = {}): ResolvedEvent =>
  ({
    event: {
      streamId: 'launch-1',
      id: '6f1c1a34-7a2b-4c55-9a6e-0f2d3c4b5a69',
      revision: 3n,
      type: 'TaskCompleted',
      data: { taskId: 't-1' },
      metadata: { correlationId: 'c-1' },
      isJson: true,
      created: new Date('2026-11-22T00:10:00.123Z'),
      position: { commit: 8_192n, prepare: 8_192n },
      ...overrides,
    },
  }) as unknown as ResolvedEvent;

describe('KurrentDB event records', () => {
  describe('toEventData (port → client)', () => {
    it('makes JSON events with the given ids, types, data and metadata', () => {
      const events = [someEvent(), someEvent({ type: 'LaunchCreated' })];

      const data = toEventData(events);

      expect(data).toEqual(events.map((e) => ({ id: e.eventId, contentType: 'application/json', type: e.type, data: e.data, metadata: e.metadata })));
    });

    it('keeps deterministic ids as they are (lowercase, as the server reads them back)', () => {
      const id = '0A1B2C3D-4E5F-5A6B-8C7D-9E0F1A2B3C4D';
      expect(toEventData([someEvent({ eventId: id })])[0].id).toBe(id.toLowerCase());
    });

    it('refuses ids that are not UUIDs (KurrentDB ids are UUIDs), and the same id twice in one append', () => {
      expect(() => toEventData([someEvent({ eventId: 'not-a-uuid' })])).toThrow(/eventId must be a UUID/);
      const id = randomUUID();
      expect(() => toEventData([someEvent({ eventId: id }), someEvent({ eventId: id.toUpperCase() })])).toThrow(/appears twice/);
    });

    it('refuses an empty batch, an empty type, and data or metadata that are not objects', () => {
      expect(() => toEventData([])).toThrow(RangeError);
      expect(() => toEventData([someEvent({ type: '' })])).toThrow(/type must be a non-empty string/);
      expect(() => toEventData([someEvent({ data: [1, 2] })])).toThrow(/data must be an object/);
      expect(() => toEventData([someEvent({ metadata: null })])).toThrow(/metadata must be an object/);
    });
  });

  describe('toStreamState (expected revision → stream state)', () => {
    it('maps every expected revision', () => {
      expect(toStreamState('no_stream')).toBe('no_stream');
      expect(toStreamState('stream_exists')).toBe('stream_exists');
      expect(toStreamState('any')).toBe('any');
      expect(toStreamState(0)).toBe(0n);
      expect(toStreamState(41)).toBe(41n);
    });

    it('refuses a negative or fractional revision', () => {
      expect(() => toStreamState(-1)).toThrow(TypeError);
      expect(() => toStreamState(1.5)).toThrow(TypeError);
    });
  });

  describe('toRecordedEvent (client → port)', () => {
    it('maps a read event: stream, revision and position as numbers, ids, type, data, metadata, time', () => {
      expect(toRecordedEvent(resolved())).toEqual({
        streamId: 'launch-1',
        revision: 3,
        position: 8192,
        eventId: '6f1c1a34-7a2b-4c55-9a6e-0f2d3c4b5a69',
        type: 'TaskCompleted',
        data: { taskId: 't-1' },
        metadata: { correlationId: 'c-1' },
        recordedAt: '2026-11-22T00:10:00.123Z',
      });
    });

    it('reads absent metadata (written by another client) as {}', () => {
      expect(toRecordedEvent(resolved({ metadata: undefined })).metadata).toEqual({});
    });

    it('refuses binary events and links whose event is gone, naming the event', () => {
      expect(() => toRecordedEvent(resolved({ isJson: false, data: new Uint8Array([1]) }))).toThrow(
        /event 6f1c1a34-7a2b-4c55-9a6e-0f2d3c4b5a69 \(launch-1@3\): data is not a JSON object/,
      );
      expect(() => toRecordedEvent({} as ResolvedEvent)).toThrow(/link/);
    });

    it('refuses an event whose position cannot be one number', () => {
      expect(() => toRecordedEvent(resolved({ position: { commit: 9_000n, prepare: 8_000n } }))).toThrow(UnsupportedPositionError);
    });

    it('round-trips what toEventData wrote', () => {
      const [written] = toEventData([someEvent()]);
      const read = toRecordedEvent(resolved({ id: written.id, type: written.type, data: written.data, metadata: written.metadata }));
      expect([read.eventId, read.type, read.data, read.metadata]).toEqual([written.id, written.type, written.data, written.metadata]);
    });
  });
});
