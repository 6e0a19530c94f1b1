import ical, { ICalCalendarMethod } from 'ical-generator';
import type { Launch } from '#launch';

/** A launch as the launches view holds it: with its stream revision (each change raises it). */
export type CalendarLaunch = Launch & { revision: number };

export interface CalendarScope {
  /** Only this department's tasks (and the launches they belong to); absent: every task of the given launches. */
  department?: string;
  /** The calendar's name. */
  name: string;
  /** The dashboard's address (ending in `/`), for links; none when the public address is unknown. */
  dashboardUrl?: string;
}

const DOMAIN = 'launch-control';

/** Stable UIDs: a calendar application replaces the event with the same UID when the feed changes. */
export const calendarUids = {
  target: (launchId: string) => `launch-${launchId}-target@${DOMAIN}`,
  task: (taskId: string) => `task-${taskId}@${DOMAIN}`,
  decision: (launchId: string) => `launch-${launchId}-decision@${DOMAIN}`,
};

/**
 * An RFC 5545 calendar of the launches' target dates, their tasks' due dates and the go/no-go
 * decisions made, each an all-day event. Cancelled launches are left out. The text depends only on
 * the views (DTSTAMP is the launch's last change, SEQUENCE its revision), so an unchanged feed has
 * an unchanged ETag.
 */
export function launchCalendar(launches: readonly CalendarLaunch[], scope: CalendarScope): string {
  const calendar = ical({
    name: scope.name,
    prodId: { company: 'Launch Control', product: 'calendar feed', language: 'EN' },
    method: ICalCalendarMethod.PUBLISH,
  });
  const sorted = [...launches].filter((l) => l.status !== 'cancelled').sort((a, b) => a.launchId.localeCompare(b.launchId));
  for (const launch of sorted) {
    const url = scope.dashboardUrl ? `${scope.dashboardUrl}#/launches/${launch.launchId}` : undefined;
    const common = { stamp: new Date(launch.updatedAt), sequence: launch.revision, allDay: true, ...(url && { url }) };
    calendar.createEvent({
      ...common,
      id: calendarUids.target(launch.launchId),
      start: launch.targetDate,
      summary: `Launch: ${launch.name}`,
      description: [`${launch.product}, tier ${launch.tier}`, `Status: ${launch.status}`, url].filter(Boolean).join('\n'),
    });
    for (const task of launch.tasks) {
      if (scope.department !== undefined && task.department !== scope.department) continue;
      calendar.createEvent({
        ...common,
        id: calendarUids.task(task.taskId),
        start: task.dueDate,
        summary: `Due: ${task.title} (${task.department}, ${task.status})`,
        description: [`Launch: ${launch.name} (target ${launch.targetDate})`, `Department: ${task.department}`, `Status: ${task.status}`, url]
          .filter(Boolean)
          .join('\n'),
      });
    }
    if (launch.decision) {
      calendar.createEvent({
        ...common,
        id: calendarUids.decision(launch.launchId),
        start: launch.decision.decidedAt.slice(0, 10),
        summary: `${launch.decision.decision === 'go' ? 'GO' : 'NO-GO'}: ${launch.name}`,
        description: [`Decided by ${launch.decision.decidedByName} at ${launch.decision.decidedAt}`, launch.decision.note, url].filter(Boolean).join('\n'),
      });
    }
  }
  return calendar.toString();
}
