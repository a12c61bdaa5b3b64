// Structured JSON logs: one object per line on stdout (time, level, context, msg,
// then the fields flattened), read by the start script, the tests and a log shipper.
import type { LoggerService } from '@nestjs/common';
import { jsonLogReplacer } from '@wardwatch/shared';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
export type LogFields = Record<string, unknown>;

const order: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };
const reserved = new Set(['time', 'level', 'context', 'msg']);

export interface LogSink {
  write(line: string): void;
}

export const stdoutSink: LogSink = { write: (line) => process.stdout.write(`${line}\n`) };

export class JsonLogger {
  constructor(
    private readonly minLevel: LogLevel = 'info',
    private readonly sink: LogSink = stdoutSink,
    private readonly context = 'manager',
    private readonly now: () => number = Date.now,
  ) {}

  child(context: string): JsonLogger {
    return new JsonLogger(this.minLevel, this.sink, context, this.now);
  }

  debug(msg: string, fields?: LogFields): void {
    this.write('debug', msg, fields);
  }
  info(msg: string, fields?: LogFields): void {
    this.write('info', msg, fields);
  }
  warn(msg: string, fields?: LogFields): void {
    this.write('warn', msg, fields);
  }
  error(msg: string, fields?: LogFields): void {
    this.write('error', msg, fields);
  }

  private write(level: LogLevel, msg: string, fields: LogFields = {}): void {
    if (order[level] < order[this.minLevel]) return;
    const line: LogFields = { time: new Date(this.now()).toISOString(), level, context: this.context, msg };
    for (const [key, value] of Object.entries(fields)) line[reserved.has(key) ? `field_${key}` : key] = value;
    this.sink.write(JSON.stringify(line, jsonLogReplacer));
  }
}

/** Nest's own messages (routes mapped, errors in its internals) go through the same JSON lines. */
/** Nest's start-up chatter (a line per module and route): debug, so that a failed start's reason is not buried. */
const NEST_CHATTER = new Set(['NestFactory', 'InstanceLoader', 'RoutesResolver', 'RouterExplorer', 'NestApplication']);

export class NestJsonLogger implements LoggerService {
  constructor(private readonly logger: JsonLogger) {}

  log(message: unknown, ...rest: unknown[]): void {
    this.emit(NEST_CHATTER.has(String(rest.at(-1))) ? 'debug' : 'info', message, rest);
  }
  error(message: unknown, ...rest: unknown[]): void {
    this.emit('error', message, rest);
  }
  warn(message: unknown, ...rest: unknown[]): void {
    this.emit('warn', message, rest);
  }
  debug(message: unknown, ...rest: unknown[]): void {
    this.emit('debug', message, rest);
  }
  verbose(message: unknown, ...rest: unknown[]): void {
    this.emit('debug', message, rest);
  }

  private emit(level: LogLevel, message: unknown, rest: unknown[]): void {
    // Nest passes the context as the last string argument, and a stack trace before it for errors.
    const context = typeof rest.at(-1) === 'string' ? (rest.at(-1) as string) : 'nest';
    const stack = rest.length > 1 && typeof rest[0] === 'string' ? rest[0] : undefined;
    const text = message instanceof Error ? message.message : String(message);
    this.logger.child(context)[level](text, stack ? { stack } : undefined);
  }
}
