import { describe, expect, it } from '@jest/globals';
import type { LookupAddress } from 'node:dns';
import { AddressNotAllowedError, guardedLookup, type Resolve } from './guarded-lookup.js';

const resolving =
  (addresses: LookupAddress[]): Resolve =>
  (_hostname, callback) =>
    callback(null, addresses);

/** What the socket gets from the lookup: an error, or the addresses it may connect to. */
function lookUp(resolve: Resolve, options: { all?: boolean; family?: number }): Promise<{ error?: Error; addresses?: unknown }> {
  return new Promise((done) => {
    guardedLookup(resolve)(
      'hooks.example.com',
      options as never,
      ((error: Error | null, address: unknown, family?: number) =>
        done(error ? { error } : { addresses: options.all ? address : [{ address, family }] })) as never,
    );
  });
}

describe('guardedLookup: the connection goes only to addresses that were checked', () => {
  const publicPair = [
    { address: '93.184.216.34', family: 4 },
    { address: '2606:2800:220:1:248:1893:25c8:1946', family: 6 },
  ];

  it('hands the socket every checked address (Node asks for all of them, to race the families)', async () => {
    expect(await lookUp(resolving(publicPair), { all: true })).toEqual({ addresses: publicPair });
  });

  it('hands one address of the family asked for', async () => {
    expect(await lookUp(resolving(publicPair), { family: 6 })).toEqual({ addresses: [publicPair[1]] });
    expect(await lookUp(resolving(publicPair), { family: 4 })).toEqual({ addresses: [publicPair[0]] });
  });

  it('refuses the name when any address is not public, even one of a family it would not use', async () => {
    for (const bad of ['127.0.0.1', '10.0.0.1', '::1', '::ffff:169.254.169.254', 'fd00::2']) {
      const { error } = await lookUp(resolving([publicPair[0], { address: bad, family: bad.includes(':') ? 6 : 4 }]), { family: 4 });
      expect(error).toBeInstanceOf(AddressNotAllowedError);
    }
  });

  it('passes a resolution failure on', async () => {
    const failing: Resolve = (_hostname, callback) => callback(Object.assign(new Error('getaddrinfo ENOTFOUND'), { code: 'ENOTFOUND' }), []);
    expect((await lookUp(failing, { all: true })).error?.message).toMatch(/ENOTFOUND/);
  });
});
