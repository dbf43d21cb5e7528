export * from './job-catalogue';
export * from './job-queue.service';
export * from './job-worker.host';
export * from './redis';
