/** Typed domain errors; the HTTP layer maps each kind to one status in one place. */
export interface FieldError {
  field: string;
  message: string;
}

export abstract class DomainError extends Error {
  abstract readonly kind: 'validation' | 'forbidden' | 'not-found' | 'conflict';
}

export class ValidationFailed extends DomainError {
  readonly kind = 'validation';
  constructor(
    message: string,
    readonly errors: FieldError[] = [],
  ) {
    super(message);
  }
}

export class Forbidden extends DomainError {
  readonly kind = 'forbidden';
}

export class NotFound extends DomainError {
  readonly kind = 'not-found';
}

/** The launch's current state forbids the command. */
export class StateConflict extends DomainError {
  readonly kind = 'conflict';
}
