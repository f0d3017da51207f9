/**
 * How many documents a device asks for per pull (RxDB's pull batch size). The server answers
 * up to 1,000 (server/sync/routes.ts). Each page costs the server about the same whatever its
 * size (it orders the user's scope to find the next page), so a staff device's first sync of
 * thousands of marks takes a fifth of the requests and time with pages of 1,000 rather than 200;
 * a page of 1,000 attendance marks is about 60 KiB gzip.
 */
export const PULL_BATCH_SIZE = 1000;
