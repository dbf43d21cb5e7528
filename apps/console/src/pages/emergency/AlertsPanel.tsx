import { useEffect, useRef, useState } from 'react';
import { ALERT_TYPE_LABEL, acknowledgeAlert, getOpenAlerts, type Alert } from '../../api/emergency';
import { useToast } from '../../components/Toast';
import { Badge, Button } from '../../components/ui';
import { dateTime } from '../../lib/format';
import { errorText } from '../../lib/labels';
import { beep, signalTitle } from './alertSignal';

const POLL_MS = 15_000;

/**
 * The dispatcher's alerts (预警): open alerts, newest first, polled every 15 s. A new alert beeps and blinks the tab
 * title until every alert is acknowledged (确认处理).
 */
export function AlertsPanel() {
  const toast = useToast();
  const [alerts, setAlerts] = useState<Alert[]>([]);
  const [busy, setBusy] = useState<string | null>(null);
  const seen = useRef<Set<string> | null>(null);

  useEffect(() => {
    let stop = false;
    async function load() {
      try {
        const page = await getOpenAlerts();
        if (stop) return;
        const fresh = page.items.filter((a) => seen.current !== null && !seen.current.has(a.id));
        seen.current = new Set(page.items.map((a) => a.id));
        setAlerts(page.items);
        if (fresh.length > 0) beep();
        signalTitle(page.items.length);
      } catch {
        /* the next poll tries again */
      }
    }
    void load();
    const timer = window.setInterval(() => void load(), POLL_MS);
    return () => {
      stop = true;
      window.clearInterval(timer);
      signalTitle(0);
    };
  }, []);

  async function acknowledge(a: Alert) {
    setBusy(a.id);
    try {
      await acknowledgeAlert(a.id);
      const rest = alerts.filter((x) => x.id !== a.id);
      setAlerts(rest);
      signalTitle(rest.length);
      toast('已确认处理', 'success');
    } catch (e) {
      toast(errorText(e), 'error');
    } finally {
      setBusy(null);
    }
  }

  if (alerts.length === 0) return null;
  return (
    <section
      className="card alerts-panel"
      data-testid="alerts-panel"
      role="alert"
      style={{ borderLeft: '4px solid #d4380d', marginBottom: 12 }}
    >
      <h3 style={{ margin: '4px 0 8px' }}>
        预警 <Badge tone="red">{alerts.length}</Badge>
      </h3>
      <ul style={{ listStyle: 'none', margin: 0, padding: 0 }}>
        {alerts.map((a) => (
          <li
            key={a.id}
            data-testid={`alert-${a.id}`}
            style={{ display: 'flex', gap: 8, alignItems: 'center', padding: '4px 0' }}
          >
            <Badge tone={a.type.startsWith('emergency') ? 'red' : 'amber'}>{ALERT_TYPE_LABEL[a.type] ?? a.type}</Badge>
            <strong>{a.residentName ?? '服务对象'}</strong>
            <span className="muted small">{a.detail}</span>
            <span className="muted small">{dateTime(a.raisedAt)}</span>
            <span style={{ flex: 1 }} />
            <Button size="sm" busy={busy === a.id} onClick={() => void acknowledge(a)}>
              确认处理
            </Button>
          </li>
        ))}
      </ul>
    </section>
  );
}
