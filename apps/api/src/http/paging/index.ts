export * from './cursor.js';
export * from './find-page.js';
export * from './next-link.js';
export * from './paging.dto.js';
