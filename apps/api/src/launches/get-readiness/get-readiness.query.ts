import { Query, QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import type { PointInTime } from '../shared/launch-history.reader.js';
import { presentReadiness } from '../shared/launch-presenter.js';
import { LaunchReader } from '../shared/launch-reader.js';
import { onePointInTime } from '../shared/read-queries.dto.js';

export type ReadinessAnswer = ReturnType<typeof presentReadiness>;

export class GetReadinessQuery extends Query<ReadinessAnswer> {
  constructor(
    readonly launchId: string,
    readonly point: PointInTime,
  ) {
    super();
  }
}

@QueryHandler(GetReadinessQuery)
export class GetReadinessHandler implements IQueryHandler<GetReadinessQuery, ReadinessAnswer> {
  constructor(private readonly launches: LaunchReader) {}

  async execute({ launchId, point }: GetReadinessQuery): Promise<ReadinessAnswer> {
    const { launch, now, asOf } = await this.launches.get(launchId, onePointInTime(point));
    return presentReadiness(launch, now, asOf);
  }
}
