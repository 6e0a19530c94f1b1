import { isIP } from 'node:net';
import { notPublicReason } from './address-classifier.js';

/** Whether webhooks may reach loopback, private and other non-public addresses (WEBHOOK_ALLOW_PRIVATE=true). */
export interface AddressPolicy {
  allowPrivate: boolean;
}

/** Names that resolve to the machine itself whatever DNS says (RFC 6761). */
const isLocalhostName = (hostname: string) => /(^|\.)localhost\.?$/i.test(hostname);

/**
 * Why a webhook URL is refused at registration, or undefined when it is acceptable. The WHATWG
 * parser has already turned every numeric spelling of an IPv4 address (`0x7f000001`, `2130706433`,
 * `127.1`, `0177.0.0.1`) into dotted decimal and IPv6 into its canonical form, so the classifier
 * sees one form per address. A DNS name is checked again on every delivery, on what it resolves to.
 */
export function webhookUrlProblem(url: string, policy: AddressPolicy): string | undefined {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return 'must be an http(s) URL';
  }
  if (parsed.username !== '' || parsed.password !== '') return 'must not carry credentials (user:password@)';
  if (policy.allowPrivate) return undefined;
  const host = parsed.hostname.replace(/^\[(.*)\]$/, '$1');
  if (isIP(host) !== 0) {
    const reason = notPublicReason(host);
    return reason === undefined ? undefined : `must not point to a ${reason} address (set WEBHOOK_ALLOW_PRIVATE=true to allow it)`;
  }
  if (isLocalhostName(host)) return 'must not point to this machine (localhost); set WEBHOOK_ALLOW_PRIVATE=true to allow it';
  return undefined;
}

/** The URL as answers show it: credentials stored before they were refused are not shown back. */
export function displayedUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.username === '' && parsed.password === '') return url;
    parsed.username = '';
    parsed.password = '';
    return parsed.toString();
  } catch {
    return url;
  }
}
