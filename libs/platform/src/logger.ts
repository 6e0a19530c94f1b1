/** What the store factories log; Nest's Logger fits, and so does the console. */
export interface StoreLogger {
  log(message: string): void;
  warn(message: string): void;
  error?(message: string): void;
}

export const consoleLogger: StoreLogger = {
  log: (message) => console.log(message),
  warn: (message) => console.warn(message),
  error: (message) => console.error(message),
};
