import cluster from 'node:cluster';
import { AdminTokenError, checkAdminToken } from './auth/bootstrap-admin.js';
import { runPrimary } from './cluster/cluster-primary.js';
import { joinPrimary } from './cluster/cluster-worker.js';
import { startupBanner } from './cluster/startup-banner.js';
import { parseWorkers, WorkersSettingError } from './cluster/workers.js';
import { loadConfig, type AppConfig } from './config/app-config.js';
import { LedgerKeyError } from '#platform';

/** A start refused for a reason the operator can fix: one line, exit code 1, no stack trace. */
function refuse(error: unknown): never {
  console.error(`Launch Control cannot start: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
}

let config: AppConfig;
let workers: number;
try {
  config = loadConfig();
  checkAdminToken(config.adminToken);
  workers = parseWorkers(process.env.WORKERS);
} catch (error) {
  refuse(error);
}

if (workers > 1 && cluster.isPrimary) {
  runPrimary({ workers, onServing: (port) => console.log(startupBanner(config, port, workers)) });
} else {
  const primary = cluster.isWorker ? joinPrimary() : undefined;
  // Loaded here, not above: the cluster primary serves nothing and needs none of the app.
  const { createApp } = await import('./app.factory.js');
  try {
    const app = await createApp({ config });
    await app.listen(config.port, config.host);
    const address = app.getHttpServer().address();
    const port = typeof address === 'object' && address ? address.port : config.port;
    if (primary) primary.serving(port);
    else console.log(startupBanner(config, port, 1));
  } catch (error) {
    if (error instanceof AdminTokenError || error instanceof WorkersSettingError || error instanceof LedgerKeyError) refuse(error);
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE' || code === 'EACCES') refuse(new Error(`cannot listen on ${config.host}:${config.port} (${code})`));
    throw error;
  }
}
