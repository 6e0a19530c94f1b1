import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../../config/app-config.js';
import { ServiceUnavailable } from '../../http/errors.js';
import { CHECKPOINTS } from '../../infrastructure/injection-tokens.js';

export interface Checkpoints {
  waitForPosition(position: number, timeoutMs: number): Promise<boolean>;
}

/** `?minPosition=`: wait until the views have processed that position, or answer 503 with Retry-After. */
@Injectable()
export class ReadYourWrites {
  constructor(
    @Inject(CHECKPOINTS) private readonly checkpoints: Checkpoints,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async atLeast(position: number | undefined): Promise<void> {
    if (position === undefined || position <= 0) return;
    if (!(await this.checkpoints.waitForPosition(position, this.config.readYourWritesTimeoutMs))) {
      throw new ServiceUnavailable(`the views have not reached position ${position} yet`, 1);
    }
  }
}
