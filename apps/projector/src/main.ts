import { Logger } from '@nestjs/common';
import { loadStoreConfig } from '#platform';
import { startProjectorProcess } from './projector-process.js';

const logger = new Logger('Projector');
const projector = await startProjectorProcess(loadStoreConfig());

for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.once(signal, () => {
    logger.log(`${signal}: stopping the projections and releasing their leases`);
    projector.stop().then(
      () => process.exit(0),
      (err: unknown) => {
        logger.error(`stopping failed: ${err instanceof Error ? err.message : String(err)}`);
        process.exit(1);
      },
    );
  });
}
