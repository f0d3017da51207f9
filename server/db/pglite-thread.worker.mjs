// The PGlite thread's entry: TypeScript through tsx, whether or not the process that starts it runs tsx.
import { register } from 'tsx/esm/api';

register();
await import('./pglite-thread.worker.ts');
