import { Inject, Injectable } from '@nestjs/common';
import { eventContext, launchReport, toLaunchEvent, utcDate, type LaunchReport, type ReportedEvent, type ReportWindow } from '#launch';
import { LAUNCHES, type LaunchView, type ReadModelStore } from '#read-models';
import { READ_MODEL_STORE } from '../infrastructure/injection-tokens.js';
import { LaunchHistoryReader } from '../launches/shared/launch-history.reader.js';

/** Streams read at once for a window report: enough to overlap the store's latency, few enough to leave the store to commands. */
export const REPORT_READ_CONCURRENCY = 8;

/** Reports are folded from the launches' streams; the views only say which streams to read. */
@Injectable()
export class ReportReader {
  constructor(
    private readonly history: LaunchHistoryReader,
    @Inject(READ_MODEL_STORE) private readonly views: ReadModelStore,
  ) {}

  /** The report of one launch from its whole stream; null when there is no such launch. */
  async launch(launchId: string): Promise<LaunchReport | null> {
    const events: ReportedEvent[] = [];
    for await (const recorded of this.history.events(launchId)) {
      const event = toLaunchEvent(recorded);
      if (event) events.push({ event, context: eventContext(recorded) });
    }
    return launchReport(events);
  }

  /**
   * The reports of the launches that may have launched in the window: launched per the view, created
   * by its end and last changed at its start or later (a launch's `LaunchCompleted` lies between
   * the two). Whether each launched in it is decided on its stream.
   */
  async launchedCandidates({ from, to }: ReportWindow): Promise<LaunchReport[]> {
    const launched = await this.views.find<LaunchView>(LAUNCHES, { where: { status: 'launched' } });
    const ids = launched
      .filter((view) => utcDate(new Date(view.createdAt)) <= to && utcDate(new Date(view.updatedAt)) >= from)
      .map((view) => view.launchId)
      .sort();
    const reports = await mapBounded(ids, REPORT_READ_CONCURRENCY, (id) => this.launch(id));
    return reports.filter((report): report is LaunchReport => report !== null);
  }
}

/** `fn` over `items` with at most `limit` calls in flight; results in the order of `items`. */
export async function mapBounded<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await fn(items[index]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}
