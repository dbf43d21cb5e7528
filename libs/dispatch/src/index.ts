export * from './rules';
export * from './dispatch.module';
export * from './dispatch.service';
export * from './dispatch.repository';
export * from './http/dispatch-http.module';
export { DispatchKpisService } from './http/dispatch-kpis.service';
export * from './dispatch-round.service';
export * from './partition-leases';
export * from './jobs/dispatch-decisions';
