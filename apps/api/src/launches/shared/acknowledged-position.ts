import { Injectable } from '@nestjs/common';

/** The global position of the last event this process acknowledged to a client. */
@Injectable()
export class AcknowledgedPosition {
  private last = 0;

  advance(position: number): void {
    if (position > this.last) this.last = position;
  }

  get value(): number {
    return this.last;
  }
}
