import { Inject, Injectable } from '@nestjs/common';
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { Forbidden, NotFound, ValidationFailed, type Department } from '#launch';
import { DEPARTMENT_TASKS, LAUNCHES, type DepartmentTaskView, type LaunchView, type ReadModelStore } from '#read-models';
import { sameHash } from '../auth/tokens.js';
import type { Principal } from '../auth/principal.js';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { CLOCK, READ_MODEL_STORE, type Clock } from '../infrastructure/injection-tokens.js';
import { launchCalendar, type CalendarLaunch } from './calendar-ics.js';
import { CALENDAR_FEED_STORE, type CalendarFeed, type CalendarFeedStore } from './storage/calendar-feed-store.js';

const SECRET = /^lcf_[A-Za-z0-9_-]{43}$/;
const hashSecret = (secret: string) => createHash('sha256').update(secret).digest('hex');
/** Compared against when the feed is unknown, so an unknown id and a wrong secret take the same path. */
const NO_HASH = hashSecret('no such feed');

/** A feed as the API shows it: never its secret or hash. */
export const describeFeed = ({ id, department, launchId, createdAt }: CalendarFeed) => ({
  id,
  ...(department !== undefined && { department }),
  ...(launchId !== undefined && { launchId }),
  createdAt,
});

/** Calendar feeds: secret URLs (256 random bits, stored as a SHA-256 hash) serving iCalendar from the read models. */
@Injectable()
export class CalendarFeedsService {
  constructor(
    @Inject(CALENDAR_FEED_STORE) private readonly feeds: CalendarFeedStore,
    @Inject(READ_MODEL_STORE) private readonly views: ReadModelStore,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /** Who may read a department's inbox or a launch may subscribe to it: today every authenticated principal. */
  async create(principal: Principal, scope: { department?: string; launchId?: string }, baseUrl: string) {
    if ((scope.department === undefined) === (scope.launchId === undefined)) {
      throw new ValidationFailed('invalid input: give either department or launchId', [
        { field: 'department', message: 'exactly one of department and launchId' },
      ]);
    }
    if (scope.launchId !== undefined && !(await this.views.get<LaunchView>(LAUNCHES, scope.launchId))) throw new NotFound('no such launch');
    const secret = `lcf_${randomBytes(32).toString('base64url')}`;
    const feed: CalendarFeed = {
      id: randomUUID(),
      principalId: principal.id,
      ...scope,
      secretHash: hashSecret(secret),
      createdAt: this.clock.now().toISOString(),
    };
    await this.feeds.add(feed);
    return { ...describeFeed(feed), url: `${this.config.publicUrl ?? baseUrl}/v1/calendar-feeds/${feed.id}/${secret}.ics` };
  }

  /** The caller's own feeds; an admin's answer lists every feed. */
  async list(principal: Principal) {
    return (await this.feeds.list(principal.role === 'admin' ? undefined : principal.id)).map(describeFeed);
  }

  /** Its creator or an admin deletes a feed; another principal's is 403 (feed ids are not secrets, their URLs are). */
  async remove(principal: Principal, id: string): Promise<void> {
    const feed = await this.feeds.get(id);
    if (!feed) throw new NotFound('no such calendar feed');
    if (principal.role !== 'admin' && feed.principalId !== principal.id) throw new Forbidden('only its creator or an admin may delete a calendar feed');
    if (!(await this.feeds.remove(id))) throw new NotFound('no such calendar feed');
  }

  /** The feed's calendar, or null for an unknown id, a deleted feed or a wrong secret alike. */
  async calendar(id: string, file: string): Promise<string | null> {
    const secret = file.endsWith('.ics') ? file.slice(0, -4) : '';
    const feed = SECRET.test(secret) ? await this.feeds.get(id) : null;
    const matches = sameHash(feed?.secretHash ?? NO_HASH, hashSecret(secret));
    if (!feed || !matches) return null;
    const dashboardUrl = this.config.publicUrl && `${this.config.publicUrl}/`;
    if (feed.launchId !== undefined) {
      const launch = await this.views.get<LaunchView>(LAUNCHES, feed.launchId);
      return launchCalendar(launch ? [launch as CalendarLaunch] : [], { name: launch ? `Launch ${launch.name}` : 'Launch', dashboardUrl });
    }
    const department = feed.department as Department;
    const tasks = await this.views.find<DepartmentTaskView>(DEPARTMENT_TASKS, { where: { department } });
    const launchIds = [...new Set(tasks.map((t) => t.launchId))];
    const launches: LaunchView[] = [];
    // In slices: a department may have tasks in thousands of launches, more than a statement takes parameters.
    for (let i = 0; i < launchIds.length; i += 500) {
      launches.push(...(await this.views.find<LaunchView>(LAUNCHES, { where: { launchId: { in: launchIds.slice(i, i + 500) } } })));
    }
    return launchCalendar(launches as CalendarLaunch[], { department, name: `Launch Control: ${department}`, dashboardUrl });
  }
}
