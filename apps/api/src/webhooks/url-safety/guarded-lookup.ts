import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import type { LookupFunction } from 'node:net';
import { isPublicAddress } from './address-classifier.js';

/** A delivery refused because the receiver's address is not public (its message is what the deliveries log shows). */
export class AddressNotAllowedError extends Error {
  constructor() {
    super('address not allowed');
    this.name = 'AddressNotAllowedError';
  }
}

export type Resolve = (hostname: string, callback: (error: NodeJS.ErrnoException | null, addresses: LookupAddress[]) => void) => void;

const systemResolve: Resolve = (hostname, callback) => dnsLookup(hostname, { all: true, verbatim: true }, callback);

/**
 * A `lookup` for the connection that resolves the name once, refuses when ANY of its addresses is
 * not public, and hands the socket only the addresses it checked: the connection goes to what was
 * checked, so a name that re-resolves to 127.0.0.1 between a check and a connect (DNS rebinding)
 * never gets through.
 */
export function guardedLookup(resolve: Resolve = systemResolve): LookupFunction {
  return (hostname, options, callback) => {
    resolve(hostname, (error, resolved) => {
      if (error) return callback(error, '', 0);
      if (!resolved.every((a) => isPublicAddress(a.address))) return callback(new AddressNotAllowedError(), '', 0);
      const family = typeof options.family === 'number' ? options.family : options.family === 'IPv6' ? 6 : options.family === 'IPv4' ? 4 : 0;
      const addresses = resolved.filter((a) => family === 0 || a.family === family);
      if (addresses.length === 0) return callback(Object.assign(new Error(`no address for ${hostname}`), { code: 'ENOTFOUND' }), '', 0);
      if (options.all) return (callback as unknown as (e: null, all: LookupAddress[]) => void)(null, addresses);
      return callback(null, addresses[0].address, addresses[0].family);
    });
  };
}
