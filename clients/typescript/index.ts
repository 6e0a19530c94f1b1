/**
 * The typed Launch Control client: `openapi-fetch` over the types `openapi-typescript` generates
 * from the served OpenAPI document (clients/openapi.json → schema.d.ts, `npm run openapi:client`;
 * CI regenerates both and fails on any difference).
 */
import createClient, { type Client } from 'openapi-fetch';
import type { components, operations, paths } from './schema.js';

export type { components, operations, paths };

/** Every named schema of the document: `Schemas['Launch']`, `Schemas['SalesTrainingDetails']`, … */
export type Schemas = components['schemas'];

export type LaunchControlClient = Client<paths>;

/** A client of the API at `baseUrl` (e.g. http://localhost:3000) calling with a bearer token. */
export function createLaunchControlClient(baseUrl: string, token: string, fetchImplementation?: typeof fetch): LaunchControlClient {
  return createClient<paths>({
    baseUrl,
    headers: { Authorization: `Bearer ${token}` },
    ...(fetchImplementation && { fetch: fetchImplementation }),
  });
}
