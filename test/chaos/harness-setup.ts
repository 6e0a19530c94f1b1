import { join } from 'node:path';
import { SqliteEventStore } from '#event-store';
import { DEPARTMENT_KEYS, type Department } from '#launch';
import type { ChaosClient } from './chaos-client.js';
import type { Tokens } from './workload.js';

/** A launch manager and one principal per department, created through the API. */
export async function createPrincipals(client: ChaosClient, adminToken: string): Promise<Tokens> {
  const create = async (name: string, role: string, department?: Department) => {
    const created = await client.send({ method: 'POST', path: '/v1/principals', token: adminToken, body: { name, role, ...(department && { department }) } });
    if (created.status !== 201) throw new Error(`could not create principal ${name}: ${created.status} ${JSON.stringify(created.answer)}`);
    return (created.answer as { token: string }).token;
  };
  const departments = {} as Record<Department, string>;
  for (const department of DEPARTMENT_KEYS) departments[department] = await create(`chaos ${department}`, 'department', department);
  return { manager: await create('chaos manager', 'launch-manager'), departments };
}

/** The global position of the last stored event (read from the files of a stopped server). */
export async function headOf(dataDir: string): Promise<number> {
  const store = new SqliteEventStore({ filename: join(dataDir, 'events.sqlite') });
  try {
    return await store.headPosition();
  } finally {
    await store.close();
  }
}
