/**
 * The one logging interface core code receives by injection. The extension backs it with a
 * LogOutputChannel, the CLI with stderr. Never log credentials; log event bodies only at trace.
 */
export interface Logger {
  trace(message: string): void;
  debug(message: string): void;
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

export const silentLogger: Logger = {
  trace() {},
  debug() {},
  info() {},
  warn() {},
  error() {},
};
