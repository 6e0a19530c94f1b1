import type { Page } from './find-page.js';

/** A character that may stand in a URI as it is (RFC 3986 unreserved, reserved, and `%` of an escape). */
const URI_SAFE = /[A-Za-z0-9\-._~:/?[\]@!$&'()*+,;=%]/;

/**
 * The `Link` header value announcing the next page (RFC 8288): the request's own path and query
 * with every parameter as the client sent it, except `cursor`, which is replaced by the next one.
 */
export function nextPageLink(requestUrl: string, cursor: string): string {
  const at = requestUrl.indexOf('?');
  const path = at === -1 ? requestUrl : requestUrl.slice(0, at);
  const query = at === -1 ? '' : requestUrl.slice(at + 1);
  const kept = query.split('&').filter((part) => part !== '' && parameterName(part) !== 'cursor');
  const url = `${path}?${[...kept, `cursor=${encodeURIComponent(cursor)}`].join('&')}`;
  return `<${[...url].map((char) => (URI_SAFE.test(char) ? char : encodeURIComponent(char))).join('')}>; rel="next"`;
}

/** What a paged list answers: the page's items, with the next page (when there is one) announced in `Link`. */
export function answerPage<T>(reply: { request: { url: string }; header(name: string, value: string): unknown }, page: Page<T>): T[] {
  if (page.next !== undefined) reply.header('Link', nextPageLink(reply.request.url, page.next));
  return page.items;
}

function parameterName(part: string): string {
  const name = part.split('=', 1)[0]!;
  try {
    return decodeURIComponent(name.replace(/\+/g, ' '));
  } catch {
    return name;
  }
}
