import { BlockList, isIP } from 'node:net';

/**
 * IPv4 ranges that are not public unicast (IANA special-purpose registry): nothing a webhook
 * should reach from inside the server's network.
 */
const IPV4_NOT_PUBLIC: Array<[string, number, string]> = [
  ['0.0.0.0', 8, 'unspecified ("this network")'],
  ['10.0.0.0', 8, 'private'],
  ['100.64.0.0', 10, 'shared address space (CGNAT)'],
  ['127.0.0.0', 8, 'loopback'],
  ['169.254.0.0', 16, 'link-local'],
  ['172.16.0.0', 12, 'private'],
  ['192.0.0.0', 24, 'IETF protocol assignments'],
  ['192.0.2.0', 24, 'documentation'],
  ['192.88.99.0', 24, '6to4 relay anycast'],
  ['192.168.0.0', 16, 'private'],
  ['198.18.0.0', 15, 'benchmarking'],
  ['198.51.100.0', 24, 'documentation'],
  ['203.0.113.0', 24, 'documentation'],
  ['224.0.0.0', 4, 'multicast'],
  ['240.0.0.0', 4, 'reserved (255.255.255.255: broadcast)'],
];

/** Inside 2000::/3, the only public IPv6 unicast block, the parts that are not public either. */
const IPV6_NOT_PUBLIC_IN_GLOBAL: Array<[string, number, string]> = [
  ['2001::', 23, 'IETF protocol assignments (Teredo among them)'],
  ['2001:db8::', 32, 'documentation'],
  ['3fff::', 20, 'documentation'],
];

const IPV6_NAMED: Array<[string, number, string]> = [
  ['fc00::', 7, 'unique local (private)'],
  ['fe80::', 10, 'link-local'],
  ['fec0::', 10, 'site-local'],
  ['ff00::', 8, 'multicast'],
  ['100::', 64, 'discard-only'],
  ['64:ff9b:1::', 48, 'local-use NAT64'],
];

function rules(entries: Array<[string, number, string]>, type: 'ipv4' | 'ipv6') {
  return entries.map(([network, prefix, reason]) => {
    const list = new BlockList();
    list.addSubnet(network, prefix, type);
    return { list, reason };
  });
}

const v4Rules = rules(IPV4_NOT_PUBLIC, 'ipv4');
const v6GlobalRules = rules(IPV6_NOT_PUBLIC_IN_GLOBAL, 'ipv6');
const v6NamedRules = rules(IPV6_NAMED, 'ipv6');
const globalUnicast = new BlockList();
globalUnicast.addSubnet('2000::', 3, 'ipv6');

/** The eight 16-bit groups of a valid IPv6 address (a trailing dotted quad included). */
function ipv6Groups(address: string): number[] {
  let text = address;
  const dotted = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (dotted) {
    const [a, b, c, d] = dotted[1].split('.').map(Number);
    text = `${text.slice(0, dotted.index)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head, tail] = text.split('::');
  const part = (s: string | undefined) => (s ? s.split(':').map((g) => parseInt(g, 16)) : []);
  const left = part(head);
  const right = part(tail);
  return tail === undefined ? left : [...left, ...new Array(8 - left.length - right.length).fill(0), ...right];
}

const v4From = (high: number, low: number) => `${high >> 8}.${high & 0xff}.${low >> 8}.${low & 0xff}`;

/** The IPv4 address an IPv6 address stands for, when it embeds one that would be reached through it. */
function embeddedIpv4(groups: number[]): string | undefined {
  const zeros = (from: number, to: number) => groups.slice(from, to).every((g) => g === 0);
  if (zeros(0, 5) && groups[5] === 0xffff) return v4From(groups[6], groups[7]); // ::ffff:a.b.c.d (mapped)
  if (zeros(0, 4) && groups[4] === 0xffff && groups[5] === 0) return v4From(groups[6], groups[7]); // ::ffff:0:a.b.c.d (translated)
  if (zeros(0, 6)) return v4From(groups[6], groups[7]); // ::a.b.c.d (compatible), ::, ::1 too
  if (groups[0] === 0x64 && groups[1] === 0xff9b && zeros(2, 6)) return v4From(groups[6], groups[7]); // NAT64 well-known prefix
  if (groups[0] === 0x2002) return v4From(groups[1], groups[2]); // 6to4
  return undefined;
}

/**
 * Why an IP address must not receive webhooks (loopback, private, link-local, CGNAT, multicast,
 * broadcast, unspecified, documentation, reserved, and every IPv6 form embedding one of those), or
 * undefined when it is a public unicast address. Not an IP address at all: refused too.
 */
export function notPublicReason(address: string): string | undefined {
  const bare = address.replace(/^\[(.*)\]$/, '$1').replace(/%.*$/, '');
  const family = isIP(bare);
  if (family === 4) return v4Rules.find((rule) => rule.list.check(bare, 'ipv4'))?.reason;
  if (family !== 6) return 'not an IP address';
  const groups = ipv6Groups(bare.toLowerCase());
  if (groups.every((g) => g === 0)) return 'unspecified';
  if (groups.slice(0, 7).every((g) => g === 0) && groups[7] === 1) return 'loopback';
  const v4 = embeddedIpv4(groups);
  if (v4 !== undefined) {
    const reason = notPublicReason(v4);
    return reason === undefined ? undefined : `${reason} (IPv4 ${v4} inside IPv6)`;
  }
  const named = v6NamedRules.find((rule) => rule.list.check(bare, 'ipv6'));
  if (named) return named.reason;
  if (!globalUnicast.check(bare, 'ipv6')) return 'reserved';
  return v6GlobalRules.find((rule) => rule.list.check(bare, 'ipv6'))?.reason;
}

export const isPublicAddress = (address: string): boolean => notPublicReason(address) === undefined;
