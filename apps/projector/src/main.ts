import { Logger } from '@nestjs/common';
import { loadConfig } from '../../api/src/config/app-config.js';
import { startProjectorProcess } from './projector-process.js';

const logger = new Logger('Projector');
const projector = await startProjectorProcess(loadConfig());

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
