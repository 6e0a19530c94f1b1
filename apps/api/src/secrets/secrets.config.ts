import { resolve } from 'node:path';
import type { AppConfig } from '../config/app-config.js';
import { SecretBox } from './secret-box.js';
import { defaultSecretsKeyFile, isInside, loadOrCreateSecretsKey } from './secrets-key-file.js';

declare module '../config/app-config.js' {
  interface AppConfig {
    /** SECRETS_KEY_FILE: the key that seals stored secrets (tests point it into their temporary folder). */
    secretsKeyFile?: string;
  }
}

export interface SecretsKeySetting {
  file: string;
  /** Named by SECRETS_KEY_FILE (or the config), rather than the default. */
  explicit: boolean;
}

export function secretsKeySetting(config: AppConfig, env: NodeJS.ProcessEnv = process.env): SecretsKeySetting {
  const named = config.secretsKeyFile ?? (env.SECRETS_KEY_FILE || undefined);
  return named ? { file: resolve(named), explicit: true } : { file: defaultSecretsKeyFile(), explicit: false };
}

/**
 * The box that seals secrets with the key of `setting`. The key is read (or generated) on first
 * use, so a server that never stores a secret writes no key file; a key file named explicitly is
 * read at once, so a bad one stops the start.
 */
export function createSecretBox(config: AppConfig, setting: SecretsKeySetting, logger: { log(message: string): void; warn(message: string): void }): SecretBox {
  if (isInside(setting.file, config.dataDir)) {
    logger.warn(`SECRETS_KEY_FILE ${setting.file} is inside DATA_DIR: a copy of DATA_DIR then carries the key with the secrets it protects`);
  }
  if (config.mongodbUrl && !setting.explicit) {
    logger.warn(
      `MONGODB_URL is set but SECRETS_KEY_FILE is not: every API instance must read the same key file, or those with another key cannot sign deliveries (using ${setting.file})`,
    );
  }
  const box = new SecretBox(() => loadOrCreateSecretsKey(setting.file, logger));
  if (setting.explicit) logger.log(`stored secrets are sealed with key ${box.keyId} from ${setting.file}`);
  return box;
}
