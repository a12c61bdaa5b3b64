export * from './event.schema';
export * from './ndjson-reader';
