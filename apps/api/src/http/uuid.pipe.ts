import { Injectable, type ArgumentMetadata, type PipeTransform } from '@nestjs/common';
import { problem, ProblemException } from './problem.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Path ids are UUIDs; anything else is a 400 before any store is touched. */
@Injectable()
export class UuidPipe implements PipeTransform<string, string> {
  transform(value: string, metadata: ArgumentMetadata): string {
    if (typeof value === 'string' && UUID.test(value)) return value.toLowerCase();
    const field = metadata.data ?? 'id';
    throw new ProblemException(problem(400, `${field} must be a UUID`, [{ field, message: 'must be a UUID' }]));
  }
}
