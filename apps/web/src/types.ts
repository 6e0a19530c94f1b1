/**
 * The shapes of the API answers the dashboard reads: the types generated from the OpenAPI document
 * (clients/typescript/schema.d.ts, `npm run openapi:client`), so they cannot drift from the server.
 */
import type { components } from '../../../clients/typescript/schema.js';

type Schemas = components['schemas'];

export type ReadinessStatus = Schemas['OverallReadiness']['status'];
export type TaskStatus = Schemas['InboxItem']['status'];

/** A refusal's body: a problem document, or only what the HTTP status says when the answer had none. */
export type Problem = Partial<Schemas['Problem']>;

export type Principal = Schemas['Principal'];
export type Department = Schemas['Department'];
export type DepartmentReadiness = Schemas['DepartmentReadiness'];
/** `GET …/readiness`, or the `data:` of a live stream event (which adds `revision`). */
export type Readiness = Schemas['Readiness'] & Partial<Pick<Schemas['ReadinessEvent'], 'revision'>>;
export type LaunchSummary = Schemas['LaunchSummary'];
export type Launch = Schemas['Launch'];
export type Task = Launch['tasks'][number];
export type InboxItem = Schemas['InboxItem'];
export type HistoryEvent = Schemas['HistoryEvent'];
export type Verification = Schemas['LaunchVerification'];
export type TierTemplate = Schemas['TierTemplate'];
