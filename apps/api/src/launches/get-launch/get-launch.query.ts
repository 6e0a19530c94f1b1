import { Query, QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import type { PointInTime } from '../shared/launch-history.reader.js';
import { presentLaunch } from '../shared/launch-presenter.js';
import { LaunchReader } from '../shared/launch-reader.js';
import { onePointInTime } from '../shared/read-queries.dto.js';

export type LaunchDetail = ReturnType<typeof presentLaunch>;

export class GetLaunchQuery extends Query<LaunchDetail> {
  constructor(
    readonly launchId: string,
    readonly point: PointInTime,
  ) {
    super();
  }
}

@QueryHandler(GetLaunchQuery)
export class GetLaunchHandler implements IQueryHandler<GetLaunchQuery, LaunchDetail> {
  constructor(private readonly launches: LaunchReader) {}

  async execute({ launchId, point }: GetLaunchQuery): Promise<LaunchDetail> {
    const { launch, revision, now, asOf } = await this.launches.get(launchId, onePointInTime(point));
    return presentLaunch(launch, revision, now, asOf);
  }
}
