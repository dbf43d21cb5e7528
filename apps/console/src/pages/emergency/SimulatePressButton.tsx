import { useState } from 'react';
import { simulatePress } from '../../api/emergency';
import { getResidents } from '../../api/endpoints';
import { useToast } from '../../components/Toast';
import { Button } from '../../components/ui';
import { errorText } from '../../lib/labels';
import { useUser } from '../../session';

/**
 * Admin only, demo data only: "模拟一键呼叫" presses the one-key device of a demo elder living alone (the server refuses
 * anyone whose device is not a demo device), so a newcomer sees the path call → urgent order → caregiver's phone.
 */
export function SimulatePressButton() {
  const user = useUser();
  const toast = useToast();
  const [busy, setBusy] = useState(false);
  if (user.role !== 'admin') return null;

  async function press() {
    setBusy(true);
    try {
      const alone = (await getResidents({ category: 'living_alone', livingArrangement: 'home' }, 50)).items;
      let lastError: unknown = null;
      for (const r of alone) {
        try {
          const call = await simulatePress(r.id);
          toast(`已模拟一键呼叫：${r.name}（紧急工单 ${call.orderId.slice(0, 8)}）`, 'success');
          return;
        } catch (e) {
          lastError = e;
        }
      }
      toast(lastError ? errorText(lastError) : '没有装有演示终端的独居老人', 'error');
    } finally {
      setBusy(false);
    }
  }

  return (
    <Button size="sm" busy={busy} onClick={() => void press()} data-testid="simulate-press">
      模拟一键呼叫（演示）
    </Button>
  );
}
