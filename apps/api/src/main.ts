import { createApp } from './app.factory.js';
import { loadConfig, type AppConfig } from './config/app-config.js';
import { TemplatesFileError } from './config/templates-file.js';

let config: AppConfig;
try {
  config = loadConfig();
} catch (error) {
  if (!(error instanceof TemplatesFileError)) throw error;
  console.error(`Launch Control cannot start: ${error.message}`);
  process.exit(1);
}
const app = await createApp({ config });
await app.listen(config.port, config.host);
console.log(`Launch Control API listening on http://${config.host}:${config.port} (docs at /docs), data in ${config.dataDir}`);
