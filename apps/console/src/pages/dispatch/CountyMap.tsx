// The county drawn locally in SVG from coordinates (no map tiles): residents living at home,
// service points with their service circles, today's orders and one caregiver's route.
import { useMemo, useState, type ReactElement } from 'react';
import type { OrderStatus } from '../../api/types';
import { COUNTY, serviceCircleKm } from '../../lib/geo';
import { ORDER_STATUS_LABEL } from '../../lib/labels';

export interface MapPoint {
  id: string;
  name: string;
  lat: number;
  lng: number;
}
export interface MapResident extends MapPoint {
  status?: OrderStatus;
}
export interface MapServicePoint extends MapPoint {
  kind: 'urban' | 'rural';
}

const W = 640;
const { latMin, latMax, lngMin, lngMax } = COUNTY.extent;
const k = Math.cos(((latMin + latMax) / 2) * (Math.PI / 180)); // shrink longitude at this latitude
const spanX = (lngMax - lngMin) * k;
const spanY = latMax - latMin;
const scale = W / spanX; // px per degree of latitude
const H = Math.round(spanY * scale);
const px = (lng: number) => (lng - lngMin) * k * scale;
const py = (lat: number) => (latMax - lat) * scale;
const kmToPx = (km: number) => (km / 111.195) * scale;

const STATUS_COLOR: Partial<Record<OrderStatus, string>> = {
  pending: '#94a3b8',
  assigned: '#2563eb',
  accepted: '#0891b2',
  in_progress: '#d97706',
  completed: '#16a34a',
  unassigned: '#dc2626',
  cancelled: '#9ca3af',
};

export function CountyMap({
  residents,
  servicePoints,
  route,
}: {
  residents: MapResident[];
  servicePoints: MapServicePoint[];
  /** an ordered path (service point, then visits) to draw, e.g. the selected caregiver's day */
  route?: { lat: number; lng: number }[];
}) {
  const [showCircles, setShowCircles] = useState(true);
  const inside = (p: { lat: number; lng: number }) =>
    Number.isFinite(p.lat) && Number.isFinite(p.lng) && p.lat >= latMin - 0.2 && p.lat <= latMax + 0.2 && p.lng >= lngMin - 0.2 && p.lng <= lngMax + 0.2;
  const res = useMemo(() => residents.filter(inside), [residents]);
  const sps = useMemo(() => servicePoints.filter(inside), [servicePoints]);
  const outside = residents.length - res.length;

  // graticule every 0.1°
  const lines: ReactElement[] = [];
  for (let lat = Math.ceil(latMin * 10) / 10; lat <= latMax; lat += 0.1) {
    lines.push(<line key={`a${lat.toFixed(1)}`} x1={0} x2={W} y1={py(lat)} y2={py(lat)} />);
  }
  for (let lng = Math.ceil(lngMin * 10) / 10; lng <= lngMax; lng += 0.1) {
    lines.push(<line key={`o${lng.toFixed(1)}`} y1={0} y2={H} x1={px(lng)} x2={px(lng)} />);
  }
  const bar10 = kmToPx(10);

  return (
    <div className="county-map" data-testid="county-map">
      <div className="map-tools">
        <label className="check">
          <input type="checkbox" checked={showCircles} onChange={(e) => setShowCircles(e.target.checked)} />
          显示服务圈
        </label>
        <span className="muted small">
          老人 {res.length} · 服务网点 {sps.length}
          {outside > 0 ? ` · ${outside} 人无坐标或在县域外` : ''}
        </span>
      </div>
      <svg viewBox={`-8 -8 ${W + 16} ${H + 16}`} role="img" aria-label={`${COUNTY.name}老人与服务网点分布`}>
        <rect x={0} y={0} width={W} height={H} className="map-bg" />
        <g className="map-grid">{lines}</g>
        {showCircles ? (
          <g className="map-circles">
            {sps.map((s) => (
              <circle key={`c${s.id}`} cx={px(s.lng)} cy={py(s.lat)} r={kmToPx(serviceCircleKm(s.kind))} />
            ))}
          </g>
        ) : null}
        <g className="map-residents">
          {res.map((r) => (
            <circle
              key={r.id}
              cx={px(r.lng)}
              cy={py(r.lat)}
              r={r.status ? 4.5 : 3}
              fill={r.status ? STATUS_COLOR[r.status] : '#cbd5e1'}
              stroke={r.status ? '#fff' : '#94a3b8'}
              strokeWidth={r.status ? 1.2 : 0.6}
            >
              <title>
                {r.name}
                {r.status ? ` · 今日工单：${ORDER_STATUS_LABEL[r.status]}` : ''}
              </title>
            </circle>
          ))}
        </g>
        {route && route.length > 1 ? (
          <polyline className="map-route" points={route.filter(inside).map((p) => `${px(p.lng)},${py(p.lat)}`).join(' ')} />
        ) : null}
        <g className="map-sps">
          {sps.map((s) => (
            <rect key={s.id} x={px(s.lng) - 4} y={py(s.lat) - 4} width={8} height={8} rx={1.5}>
              <title>
                服务网点：{s.name}（{s.kind === 'urban' ? '城镇15分钟' : '农村30分钟'}服务圈）
              </title>
            </rect>
          ))}
        </g>
        <g className="map-seat" transform={`translate(${px(COUNTY.seat.lng)},${py(COUNTY.seat.lat)})`}>
          <polygon points="0,-7 2,-2 7,-2 3,1.5 4.5,7 0,3.5 -4.5,7 -3,1.5 -7,-2 -2,-2" />
          <text x={9} y={4}>
            {COUNTY.seat.name}（县城）
          </text>
        </g>
        <g className="map-scale" transform={`translate(12,${H - 14})`}>
          <line x1={0} x2={bar10} y1={0} y2={0} />
          <line x1={0} x2={0} y1={-4} y2={4} />
          <line x1={bar10} x2={bar10} y1={-4} y2={4} />
          <text x={bar10 / 2} y={-6} textAnchor="middle">
            10 公里
          </text>
        </g>
        <g className="map-north" transform={`translate(${W - 18},22)`}>
          <polygon points="0,-12 5,4 0,0 -5,4" />
          <text y={16} textAnchor="middle">
            北
          </text>
        </g>
      </svg>
      <div className="legend">
        <span className="legend-item">
          <span className="legend-dot" style={{ background: '#cbd5e1' }} />
          居家老人
        </span>
        {(['assigned', 'accepted', 'in_progress', 'completed', 'unassigned'] as OrderStatus[]).map((s) => (
          <span key={s} className="legend-item">
            <span className="legend-dot" style={{ background: STATUS_COLOR[s] }} />
            {ORDER_STATUS_LABEL[s]}
          </span>
        ))}
        <span className="legend-item">
          <span className="legend-sq" />
          服务网点
        </span>
        <span className="legend-item">
          <span className="legend-circle" />
          服务圈
        </span>
      </div>
      <p className="muted small">示意图：按经纬度等比例绘制，服务圈按行程模型（绕行系数1.3，城镇20公里/小时、农村30公里/小时）换算。</p>
    </div>
  );
}
