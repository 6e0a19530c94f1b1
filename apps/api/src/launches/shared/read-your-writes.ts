import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../../config/app-config.js';
import { ServiceUnavailable } from '../../http/errors.js';
import { CHECKPOINTS } from '../../infrastructure/injection-tokens.js';
import { AcknowledgedPosition } from './acknowledged-position.js';

export interface Checkpoints {
  waitForPosition(position: number, timeoutMs: number): Promise<boolean>;
}

/** How long a read without `minPosition` waits, at most, for what this process already acknowledged. */
const IMPLICIT_WAIT_MS = 1000;

/**
 * `?minPosition=`: wait until the views have processed that position, or answer 503 with Retry-After.
 * Without it, a read still waits briefly for every write this process acknowledged, so a client of
 * one instance reads its own writes; across instances, `minPosition` is the guarantee.
 */
@Injectable()
export class ReadYourWrites {
  constructor(
    @Inject(CHECKPOINTS) private readonly checkpoints: Checkpoints,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly acknowledged: AcknowledgedPosition,
  ) {}

  async atLeast(position: number | undefined): Promise<void> {
    const asked = position ?? 0;
    const own = this.acknowledged.value;
    if (asked <= 0 && own <= 0) return;
    const target = Math.max(asked, own);
    const timeout = asked > 0 ? this.config.readYourWritesTimeoutMs : IMPLICIT_WAIT_MS;
    if (await this.checkpoints.waitForPosition(target, timeout)) return;
    if (asked > 0 && !(await this.checkpoints.waitForPosition(asked, 0))) {
      throw new ServiceUnavailable(`the views have not reached position ${asked} yet`, 1);
    }
  }
}
