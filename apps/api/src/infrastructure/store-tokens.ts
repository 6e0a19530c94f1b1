export const ACCESS_DATABASE = Symbol('ACCESS_DATABASE');
export const PROJECTOR = Symbol('PROJECTOR');
