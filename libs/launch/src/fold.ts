import type { LaunchEvent } from './events.js';
import { evolve, type EventContext } from './evolve.js';
import { initialState, type LaunchState } from './state.js';

/** Folds a launch's events, oldest first, into its state. */
export function fold(events: Iterable<{ event: LaunchEvent; context: EventContext }>, from: LaunchState = initialState): LaunchState {
  let state = from;
  for (const { event, context } of events) state = evolve(state, event, context);
  return state;
}
