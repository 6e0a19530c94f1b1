import { Inject, Injectable } from '@nestjs/common';
import { NotFound, type Launch } from '#launch';
import { LAUNCHES, type LaunchView, type ReadModelStore } from '#read-models';
import { CLOCK, READ_MODEL_STORE, type Clock } from '../../infrastructure/injection-tokens.js';
import { LaunchHistoryReader, type PointInTime } from './launch-history.reader.js';

export interface LaunchAt {
  launch: Launch;
  revision: number;
  /** The moment readiness is judged at: now, or the point travelled to. */
  now: Date;
  asOf?: string;
}

/** A launch from its view, or, for time travel, folded from its stream up to the point asked. */
@Injectable()
export class LaunchReader {
  constructor(
    @Inject(READ_MODEL_STORE) private readonly views: ReadModelStore,
    private readonly history: LaunchHistoryReader,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async get(launchId: string, point: PointInTime = {}): Promise<LaunchAt> {
    if (point.asOf === undefined && point.atRevision === undefined) {
      const view = await this.views.get<LaunchView>(LAUNCHES, launchId);
      if (!view) throw new NotFound('no such launch');
      return { launch: view, revision: view.revision, now: this.clock.now() };
    }
    const past = await this.history.at(launchId, point);
    if (!past) throw new NotFound(point.asOf !== undefined ? `the launch did not exist at ${point.asOf}` : 'no such launch');
    const asOf = point.asOf ?? past.lastOccurredAt;
    return { launch: past.launch, revision: past.revision, now: new Date(asOf), asOf };
  }
}
