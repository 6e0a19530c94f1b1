export const VIEW_STORES = Symbol('VIEW_STORES');
export const PROJECTOR = Symbol('PROJECTOR');
