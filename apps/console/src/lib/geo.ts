// County geometry for the local plot (no map tiles): extent and seat from shared/data/regions-620422.json,
// travel model from domain.md §5 (haversine × 1.3 detour; 20 km/h urban, 30 km/h rural).

export const COUNTY = {
  code: '620422',
  name: '会宁县',
  extent: { latMin: 35.4, latMax: 36.4333, lngMin: 104.4833, lngMax: 105.5167 },
  seat: { name: '会师镇', lat: 35.6929, lng: 105.0466 },
};

const R = 6371;
const rad = (d: number) => (d * Math.PI) / 180;

export function haversineKm(a: { lat: number; lng: number }, b: { lat: number; lng: number }): number {
  const dLat = rad(b.lat - a.lat);
  const dLng = rad(b.lng - a.lng);
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(rad(a.lat)) * Math.cos(rad(b.lat)) * Math.sin(dLng / 2) ** 2;
  return 2 * R * Math.asin(Math.sqrt(h));
}

/** Great-circle radius (km) of the service circle: 15 min at 20 km/h in town, 30 min at 30 km/h in the countryside. */
export function serviceCircleKm(kind: 'urban' | 'rural'): number {
  const minutes = kind === 'urban' ? 15 : 30;
  const speed = kind === 'urban' ? 20 : 30;
  return (speed * minutes) / 60 / 1.3;
}

export function travelMinutes(
  a: { lat: number; lng: number },
  b: { lat: number; lng: number },
  kind: 'urban' | 'rural',
): number {
  const km = haversineKm(a, b) * 1.3;
  return Math.ceil((km / (kind === 'urban' ? 20 : 30)) * 60);
}
