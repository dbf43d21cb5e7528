import type { Type } from '@nestjs/common';

/** The domain jobs modules the dispatcher composes; each registers its job handlers on the JobWorkerHost. */
export const DISPATCHER_JOB_MODULES: Type[] = [];
