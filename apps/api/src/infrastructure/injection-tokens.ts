export const EVENT_STORE = Symbol('EVENT_STORE');
export const READ_MODEL_STORE = Symbol('READ_MODEL_STORE');
export const CLOCK = Symbol('CLOCK');
export const TEMPLATES = Symbol('TEMPLATES');
export const CHECKPOINTS = Symbol('CHECKPOINTS');

export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };
