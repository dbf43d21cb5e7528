// Emergency calls (一键呼叫) and alerts (预警): the console's calls, kept apart from endpoints.ts so the streams merge cleanly.
import { http } from './http';

export type AlertType =
  'emergency_not_accepted' | 'emergency_not_arrived' | 'visit_not_started' | 'visit_missed' | 'visit_overrun';

export interface Alert {
  id: string;
  type: AlertType;
  orderId: string;
  callId: string | null;
  residentId: string;
  residentName: string | null;
  regionCode: string;
  status: 'open' | 'acknowledged';
  detail: string | null;
  raisedAt: string;
  acknowledgedAt: string | null;
  note: string | null;
}

export interface EmergencyCallCreated {
  id: string;
  residentId: string;
  orderId: string;
  status: 'open' | 'resolved';
  receivedAt: string;
}

export const ALERT_TYPE_LABEL: Record<AlertType, string> = {
  emergency_not_accepted: '紧急呼叫无人接单',
  emergency_not_arrived: '紧急呼叫未到场',
  visit_not_started: '服务未开始',
  visit_missed: '漏访',
  visit_overrun: '服务超时',
};

export const getOpenAlerts = () =>
  http.get<{ items: Alert[]; total: number }>('/alerts', { status: 'open', limit: 100 });
export const acknowledgeAlert = (id: string, note?: string) =>
  http.post<Alert>(`/alerts/${id}/acknowledge`, note ? { note } : {});
export const simulatePress = (residentId: string) =>
  http.post<EmergencyCallCreated>('/emergency-calls/simulate', { residentId });
