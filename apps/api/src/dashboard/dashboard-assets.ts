import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { extname, join } from 'node:path';

/** One servable file of the built dashboard, with its precompressed copies when the build made them. */
export interface DashboardAsset {
  /** The path it is served at: `/`, `/favicon.svg`, `/assets/main-<hash>.js`… */
  path: string;
  contentType: string;
  cacheControl: string;
  /** A strong validator over the uncompressed bytes (`"sha256-prefix"`). */
  etag: string;
  identity: Buffer;
  br?: Buffer;
  gzip?: Buffer;
}

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
};

/** Hashed names never change content: a year, immutable. The page and the icon are checked on every use. */
export const IMMUTABLE = 'public, max-age=31536000, immutable';
export const REVALIDATE = 'no-cache';

function asset(path: string, file: string, cacheControl: string): DashboardAsset {
  const identity = readFileSync(file);
  const sibling = (suffix: string) => (existsSync(`${file}${suffix}`) ? readFileSync(`${file}${suffix}`) : undefined);
  return {
    path,
    contentType: CONTENT_TYPES[extname(file)] ?? 'application/octet-stream',
    cacheControl,
    etag: `"${createHash('sha256').update(identity).digest('base64url').slice(0, 27)}"`,
    identity,
    br: sibling('.br'),
    gzip: sibling('.gz'),
  };
}

/**
 * The dashboard as built into `root` (apps/web/build.mjs), read once: the page, the icon and the
 * hashed bundles. Kept in memory (about 200 KB with the compressed copies), so a build running
 * beside a serving process never mixes two builds' files in one answer.
 */
export function loadDashboardAssets(root: string): DashboardAsset[] {
  const assets = [asset('/', join(root, 'index.html'), REVALIDATE)];
  if (existsSync(join(root, 'favicon.svg'))) assets.push(asset('/favicon.svg', join(root, 'favicon.svg'), REVALIDATE));
  const hashed = join(root, 'assets');
  if (existsSync(hashed)) {
    for (const name of readdirSync(hashed)) {
      if (name.endsWith('.br') || name.endsWith('.gz') || name.endsWith('.tmp')) continue;
      assets.push(asset(`/assets/${name}`, join(hashed, name), IMMUTABLE));
    }
  }
  return assets;
}

/** The encoding to send for an `Accept-Encoding` header: brotli over gzip, never one it refuses (`q=0`). */
export function chooseEncoding(acceptEncoding: string | undefined, asset: DashboardAsset): 'br' | 'gzip' | undefined {
  if (!acceptEncoding) return undefined;
  const accepted = new Map<string, number>();
  for (const part of acceptEncoding.split(',')) {
    const [name, ...params] = part.trim().toLowerCase().split(';');
    const q = params.map((param) => /^\s*q=([0-9.]+)\s*$/.exec(param)?.[1]).find((value) => value !== undefined);
    if (name) accepted.set(name, q === undefined ? 1 : Number(q));
  }
  const weight = (name: string) => accepted.get(name) ?? (accepted.has('*') ? accepted.get('*')! : 0);
  if (asset.br && weight('br') > 0) return 'br';
  if (asset.gzip && weight('gzip') > 0) return 'gzip';
  return undefined;
}

/** The validator of one encoding: strong validators differ between a file's encodings (RFC 9110 §8.8.3). */
export function variantEtag(asset: DashboardAsset, encoding: 'br' | 'gzip' | undefined): string {
  return encoding ? `${asset.etag.slice(0, -1)}.${encoding}"` : asset.etag;
}

/** Whether `If-None-Match` names this file in any of its encodings (a list, `*`, or weak forms of it). */
export function matchesEtag(ifNoneMatch: string | undefined, asset: DashboardAsset): boolean {
  if (!ifNoneMatch) return false;
  if (ifNoneMatch.trim() === '*') return true;
  const known = new Set([asset.etag, variantEtag(asset, 'br'), variantEtag(asset, 'gzip')]);
  return ifNoneMatch.split(',').some((tag) => known.has(tag.trim().replace(/^W\//, '')));
}
