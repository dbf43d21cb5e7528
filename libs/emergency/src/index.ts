/** @care/emergency: one-key call devices, emergency calls (一键呼叫), alerts (预警), closing visits left in progress. */
export * from './rules';
export * from './emergency.module';
export * from './jobs/emergency-jobs.module';
export { EmergencyCallsService, type CallView, type CallCreatedView } from './emergency-calls.service';
export { AlertsService, type AlertView } from './alerts.service';
