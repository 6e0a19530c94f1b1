import { Query, QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { isDone, missingGoVotes, votingDepartments, type Launch } from '#launch';
import { LaunchReader } from '../shared/launch-reader.js';

/** What a go/no-go rests on: the policy, each department's vote, the blockers, and the decision. */
export function presentDecisionRecord(launch: Launch) {
  const requireGoVotes = launch.policy?.requireGoVotes ?? false;
  return {
    launchId: launch.launchId,
    status: launch.status,
    policy: { requireGoVotes },
    votingDepartments: votingDepartments(launch),
    votes: launch.votes ?? [],
    missingGoVotes: missingGoVotes(launch),
    blockers: launch.tasks
      .filter((t) => t.required && !isDone(t))
      .map(({ taskId, key, title, department, status, dueDate }) => ({ taskId, key, title, department, status, dueDate })),
    decision: launch.decision ?? null,
  };
}

export type DecisionRecord = ReturnType<typeof presentDecisionRecord>;

export class GetDecisionRecordQuery extends Query<DecisionRecord> {
  constructor(readonly launchId: string) {
    super();
  }
}

@QueryHandler(GetDecisionRecordQuery)
export class GetDecisionRecordHandler implements IQueryHandler<GetDecisionRecordQuery, DecisionRecord> {
  constructor(private readonly launches: LaunchReader) {}

  async execute({ launchId }: GetDecisionRecordQuery): Promise<DecisionRecord> {
    return presentDecisionRecord((await this.launches.get(launchId)).launch);
  }
}
