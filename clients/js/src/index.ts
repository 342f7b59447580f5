export {
  ContentGenClient,
  type CallOptions,
  type ContentGenClientOptions,
  type CreateJobOptions,
  type EventStream,
  type EventsOptions,
  type FollowJobsOptions,
  type JobsStream,
  type ListJobsOptions,
} from "./client.js";
export {
  ConnectionClosed,
  ContentGenError,
  ErrorEvent,
  type Failure,
  JobNotFound,
  Rejected,
  ServerUnavailable,
  ServerUnreachable,
  TimedOut,
  Unauthorized,
  UnexpectedResponse,
} from "./failures.js";
export { type ClientListener, describeRetrying, type Retrying } from "./listener.js";
export { DEFAULT_RETRY, type RetryPolicy } from "./backoff.js";
export type { TokenSource } from "./resumer.js";
export type { JobsHandlers } from "./many.js";
export * from "./types.js";
