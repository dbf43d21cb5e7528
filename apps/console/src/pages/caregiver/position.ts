// The browser's geolocation (needs a secure context: https, or http on localhost).

export type Coords = { lat: number; lng: number };

export function currentPosition(timeout = 10_000): Promise<Coords> {
  return new Promise((resolve, reject) => {
    if (!('geolocation' in navigator) || !window.isSecureContext) {
      reject(new Error('当前浏览器无法定位'));
      return;
    }
    navigator.geolocation.getCurrentPosition(
      (p) => resolve({ lat: +p.coords.latitude.toFixed(6), lng: +p.coords.longitude.toFixed(6) }),
      (e) =>
        reject(
          new Error(e.code === e.PERMISSION_DENIED ? '未授权定位' : e.code === e.TIMEOUT ? '定位超时' : '无法获取位置'),
        ),
      { enableHighAccuracy: true, timeout, maximumAge: 60_000 },
    );
  });
}

/** A position if one comes within a few seconds, else null. */
export function quickPosition(): Promise<Coords | null> {
  return currentPosition(3_000).catch(() => null);
}
