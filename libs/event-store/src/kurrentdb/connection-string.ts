const DISCOVER_SCHEME = /^(kurrentdb|kurrent|kdb|esdb)\+discover:\/\//;

/** The hosts of a `kurrentdb://` connection string (credentials, path and options left out). */
export function connectionStringHosts(connectionString: string): string[] {
  const afterScheme = connectionString.trim().replace(/^[^:]+:\/\//, '');
  const authority = afterScheme.split(/[?/]/, 1)[0]!.replace(/^[^@]*@/, '');
  return authority
    .split(',')
    .map((host) => host.trim())
    .filter((host) => host !== '');
}

/**
 * The connection string the client should get. `kurrentdb+discover://a,b,c` makes
 * @kurrent/kurrentdb-client keep only the first host ("More than one address provided for
 * discovery. Using first"), so a cluster whose first node is down is never found; the same hosts
 * without `+discover` are all used as gossip seeds. `+discover` with one host (a DNS name listing
 * the nodes) and every other string are passed on unchanged.
 */
export function withGossipSeeds(connectionString: string): string {
  const trimmed = connectionString.trim();
  if (!DISCOVER_SCHEME.test(trimmed) || connectionStringHosts(trimmed).length < 2) return connectionString;
  return trimmed.replace(DISCOVER_SCHEME, '$1://');
}

/** Drops `user:password@` from any URL in a message (the client's parse errors quote the string). */
export function withoutCredentials(message: string): string {
  return message.replace(/:\/\/[^@\s/]*@/g, '://');
}
