import { del, get, post } from '../api.js';
import { departmentName, type Page, type PageContext } from '../context.js';
import { h, replaceChildren } from '../dom.js';
import { formatInstant } from '../format.js';
import { mapBounded } from '../map-bounded.js';
import type { Launch } from '../types.js';
import type { components } from '../../../../clients/typescript/schema.js';
import { confirmButton, problemBox } from '../widgets.js';

type Feed = components['schemas']['CalendarFeed'];
type CreatedFeed = components['schemas']['CreatedCalendarFeed'];
/** A feed is of one department's due dates or of one launch. */
export type FeedTarget = { department: string; label: string } | { launchId: string; label: string };

const targetBody = (target: FeedTarget) => ('department' in target ? { department: target.department } : { launchId: target.launchId });
const sameTarget = (feed: Feed, target: FeedTarget) => ('department' in target ? feed.department === target.department : feed.launchId === target.launchId);
/** Calendar applications subscribe to `webcal://` (the same address, fetched over https or http). */
const webcal = (url: string) => url.replace(/^https?:\/\//, 'webcal://');

/**
 * "Subscribe in a calendar…": a dialog that creates a secret feed (shown once, with a copy button and
 * a webcal:// link) and lists the caller's feeds of the same department or launch, each revocable.
 * Marked `data-reads`: subscribing changes no launch, so every role (auditors too) is offered it.
 */
export function subscribeButton(context: PageContext, target: FeedTarget): HTMLButtonElement {
  const button = h('button', { type: 'button', class: 'small', 'data-reads': true }, 'Subscribe in a calendar…');
  button.addEventListener('click', () => openFeedDialog(context, target, button));
  return button;
}

function openFeedDialog(context: PageContext, target: FeedTarget, opener: HTMLElement): void {
  const titleId = `feed-title-${Math.random().toString(36).slice(2, 8)}`;
  const created = h('div', { class: 'feed-created' });
  const list = h('div', { class: 'feed-own' });
  const create = h('button', { type: 'button', class: 'primary' }, 'Create a feed');
  const close = h('button', { type: 'button' }, 'Close');
  const dialog = h(
    'dialog',
    { class: 'command-dialog', 'aria-labelledby': titleId },
    h('h2', { id: titleId }, `Calendar feed: ${target.label}`),
    h(
      'p',
      {},
      'A private address your calendar application subscribes to: target dates, due dates and the go/no-go decision. Anyone with the address can read it, so keep it to yourself; revoke it here when it is no longer needed.',
    ),
    created,
    h('div', { class: 'actions' }, create, close),
    h('h3', {}, 'Your feeds of this calendar'),
    list,
  );
  const refresh = () => feedList(context, list, (feed) => sameTarget(feed, target));
  create.addEventListener('click', async () => {
    create.disabled = true;
    try {
      replaceChildren(created, feedOnce(await post<CreatedFeed>('/v1/calendar-feeds', targetBody(target))));
      created.querySelector<HTMLElement>('h3')?.focus();
      await refresh();
    } catch (error) {
      replaceChildren(created, problemBox((error as Error).message));
    } finally {
      create.disabled = false;
    }
  });
  close.addEventListener('click', () => dialog.close());
  dialog.addEventListener('close', () => {
    dialog.remove();
    if (opener.isConnected) opener.focus();
  });
  document.body.appendChild(dialog);
  dialog.showModal();
  create.focus();
  void refresh();
}

/** The secret address, once: selectable, copyable, and as a link a calendar application opens. */
function feedOnce(feed: CreatedFeed): HTMLElement {
  const id = `feed-url-${feed.id.slice(0, 8)}`;
  const field = h('input', { type: 'text', readonly: true, id, value: feed.url, class: 'feed-url', spellcheck: 'false', autocomplete: 'off' });
  const copied = h('span', { class: 'success', role: 'status' });
  const copy = h('button', { type: 'button' }, 'Copy address');
  copy.addEventListener('click', async () => {
    field.select();
    try {
      await navigator.clipboard.writeText(feed.url);
      copied.textContent = 'Copied to the clipboard.';
    } catch {
      copied.textContent = 'Copying is not allowed here: the address is selected, copy it with your keyboard.';
    }
  });
  return h(
    'div',
    { class: 'card feed-once' },
    h('h3', { tabindex: -1 }, 'Your new feed'),
    h('p', { class: 'warning' }, 'This address is shown only this once.'),
    h('label', { for: id }, 'Feed address'),
    field,
    h('p', { class: 'actions' }, copy, h('a', { href: webcal(feed.url), class: 'button-link' }, 'Open in your calendar application'), copied),
  );
}

/** The caller's feeds (an admin's: everyone's) that `keep` selects, each with "Revoke". */
async function feedList(context: PageContext, slot: HTMLElement, keep: (feed: Feed) => boolean): Promise<void> {
  try {
    const feeds = (await get<Feed[]>('/v1/calendar-feeds')).filter(keep);
    const launchIds = [...new Set(feeds.flatMap((feed) => (feed.launchId ? [feed.launchId] : [])))];
    const names = new Map(
      await mapBounded(
        launchIds,
        4,
        async (id) =>
          [
            id,
            await get<Launch>(`/v1/launches/${id}`).then(
              (launch) => launch.name,
              () => `Launch ${id}`,
            ),
          ] as const,
      ),
    );
    replaceChildren(
      slot,
      feeds.length === 0
        ? h('p', { class: 'muted' }, 'None.')
        : h(
            'ul',
            { class: 'feed-list' },
            feeds.map((feed) =>
              h(
                'li',
                { 'data-feed-id': feed.id },
                feed.department
                  ? h('span', {}, `${departmentName(context, feed.department)} (department)`)
                  : h('span', {}, h('a', { href: `#/launches/${feed.launchId}` }, names.get(feed.launchId!) ?? ''), ' (launch)'),
                h('span', { class: 'muted' }, `created ${formatInstant(feed.createdAt)}`),
                confirmButton('Revoke', 'Revoke this feed? Calendars subscribed to it stop updating.', 'Yes, revoke', async () => {
                  await del(`/v1/calendar-feeds/${feed.id}`);
                  await feedList(context, slot, keep);
                }),
              ),
            ),
          ),
    );
  } catch (error) {
    replaceChildren(slot, problemBox((error as Error).message));
  }
}

/** `#/calendar-feeds`: every feed the caller made (an admin sees all), each revocable. */
export const renderCalendarFeeds: Page = async (main, context) => {
  const list = h('div', {});
  replaceChildren(
    main,
    h('h1', {}, 'Calendar feeds'),
    h('p', {}, 'Subscribe from a department inbox (its due dates) or from a launch room (that launch). The addresses are secret and shown only when created.'),
    list,
  );
  await feedList(context, list, () => true);
};
