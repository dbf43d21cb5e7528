// The county drawn locally in SVG from coordinates (no map tiles): residents living at home,
// service points with their service circles, today's orders and one caregiver's route.
import { useMemo, useState, type ReactElement } from 'react';
import { serviceCircleRadiusKm } from '@care/core/geo';
import type { OrderStatus } from '../../api/types';
import { COUNTY } from '../../lib/geo';
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
  const [focus, setFocus] = useState(false);
  const inside = (p: { lat: number; lng: number }) =>
    Number.isFinite(p.lat) &&
    Number.isFinite(p.lng) &&
    p.lat >= latMin - 0.2 &&
    p.lat <= latMax + 0.2 &&
    p.lng >= lngMin - 0.2 &&
    p.lng <= lngMax + 0.2;
  const res = useMemo(() => residents.filter(inside), [residents]);
  const sps = useMemo(() => servicePoints.filter(inside), [servicePoints]);
  const outside = residents.length - res.length;

  // The view: the whole county, or (focus) the box around the points, at least 8 km across.
  const view = useMemo(() => {
    const whole = { x: 0, y: 0, w: W, h: H };
    const pts = [...res, ...sps];
    if (!focus || pts.length === 0) return whole;
    const xs = pts.map((p) => px(p.lng));
    const ys = pts.map((p) => py(p.lat));
    const pad = kmToPx(3);
    const minSpan = kmToPx(8);
    let x0 = Math.min(...xs) - pad;
    let x1 = Math.max(...xs) + pad;
    let y0 = Math.min(...ys) - pad;
    let y1 = Math.max(...ys) + pad;
    // keep the county's aspect ratio so the frame does not jump
    let w = Math.max(x1 - x0, minSpan, ((y1 - y0) * W) / H);
    let h = (w * H) / W;
    if (h < y1 - y0) {
      h = y1 - y0;
      w = (h * W) / H;
    }
    const cx = (x0 + x1) / 2;
    const cy = (y0 + y1) / 2;
    x0 = cx - w / 2;
    y0 = cy - h / 2;
    x1 = x0 + w;
    y1 = y0 + h;
    return w >= W ? whole : { x: x0, y: y0, w, h };
  }, [focus, res, sps]);
  const z = W / view.w; // zoom factor: markers and text keep their size on screen
  const s = (n: number) => n / z;

  // graticule every 0.1° (every 0.02° when zoomed in far)
  const step = z > 4 ? 0.02 : 0.1;
  const lines: ReactElement[] = [];
  for (let lat = Math.ceil(latMin / step) * step; lat <= latMax; lat += step) {
    lines.push(<line key={`a${lat.toFixed(2)}`} x1={0} x2={W} y1={py(lat)} y2={py(lat)} strokeWidth={s(0.6)} />);
  }
  for (let lng = Math.ceil(lngMin / step) * step; lng <= lngMax; lng += step) {
    lines.push(<line key={`o${lng.toFixed(2)}`} y1={0} y2={H} x1={px(lng)} x2={px(lng)} strokeWidth={s(0.6)} />);
  }
  const barKm = z > 4 ? 1 : z > 1.5 ? 5 : 10;
  const bar = kmToPx(barKm);
  const pad = s(8);

  return (
    <div className="county-map" data-testid="county-map">
      <div className="map-tools">
        <span className="toolbar">
          <label className="check">
            <input type="checkbox" checked={showCircles} onChange={(e) => setShowCircles(e.target.checked)} />
            显示服务圈
          </label>
          <label className="check">
            <input
              type="checkbox"
              checked={focus}
              onChange={(e) => setFocus(e.target.checked)}
              data-testid="map-focus"
            />
            放大到服务对象
          </label>
        </span>
        <span className="muted small">
          老人 {res.length} · 服务网点 {sps.length}
          {outside > 0 ? ` · ${outside} 人无坐标或在县域外` : ''}
        </span>
      </div>
      <svg
        viewBox={`${view.x - pad} ${view.y - pad} ${view.w + 2 * pad} ${view.h + 2 * pad}`}
        role="img"
        aria-label={`${COUNTY.name}老人与服务网点分布`}
      >
        <rect x={0} y={0} width={W} height={H} className="map-bg" strokeWidth={s(1)} />
        <g className="map-grid">{lines}</g>
        {showCircles ? (
          <g className="map-circles">
            {sps.map((sp) => (
              <circle
                key={`c${sp.id}`}
                cx={px(sp.lng)}
                cy={py(sp.lat)}
                r={kmToPx(serviceCircleRadiusKm(sp.kind))}
                strokeWidth={s(0.8)}
                strokeDasharray={`${s(3)} ${s(3)}`}
              />
            ))}
          </g>
        ) : null}
        <g className="map-seat" transform={`translate(${px(COUNTY.seat.lng)},${py(COUNTY.seat.lat)}) scale(${1 / z})`}>
          <polygon points="0,-7 2,-2 7,-2 3,1.5 4.5,7 0,3.5 -4.5,7 -3,1.5 -7,-2 -2,-2" />
          <text x={9} y={4}>
            {COUNTY.seat.name}（县城）
          </text>
        </g>
        <g className="map-residents">
          {res.map((r) => (
            <circle
              key={r.id}
              cx={px(r.lng)}
              cy={py(r.lat)}
              r={s(r.status ? 4.5 : 3)}
              fill={r.status ? STATUS_COLOR[r.status] : '#cbd5e1'}
              stroke={r.status ? '#fff' : '#94a3b8'}
              strokeWidth={s(r.status ? 1.2 : 0.6)}
            >
              <title>
                {r.name}
                {r.status ? ` · 今日工单：${ORDER_STATUS_LABEL[r.status]}` : ''}
              </title>
            </circle>
          ))}
        </g>
        {route && route.length > 1 ? (
          <polyline
            className="map-route"
            strokeWidth={s(2)}
            points={route
              .filter(inside)
              .map((p) => `${px(p.lng)},${py(p.lat)}`)
              .join(' ')}
          />
        ) : null}
        <g className="map-sps">
          {sps.map((sp) => (
            <rect
              key={sp.id}
              x={px(sp.lng) - s(4)}
              y={py(sp.lat) - s(4)}
              width={s(8)}
              height={s(8)}
              rx={s(1.5)}
              strokeWidth={s(1)}
            >
              <title>
                服务网点：{sp.name}（{sp.kind === 'urban' ? '城镇15分钟' : '农村30分钟'}服务圈）
              </title>
            </rect>
          ))}
        </g>
        <g className="map-scale" transform={`translate(${view.x + s(12)},${view.y + view.h - s(14)})`}>
          <line x1={0} x2={bar} y1={0} y2={0} strokeWidth={s(1.5)} />
          <line x1={0} x2={0} y1={-s(4)} y2={s(4)} strokeWidth={s(1.5)} />
          <line x1={bar} x2={bar} y1={-s(4)} y2={s(4)} strokeWidth={s(1.5)} />
          <text x={bar / 2} y={-s(6)} textAnchor="middle" fontSize={s(11)}>
            {barKm} 公里
          </text>
        </g>
        <g className="map-north" transform={`translate(${view.x + view.w - s(18)},${view.y + s(22)}) scale(${1 / z})`}>
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
      <p className="muted small">
        示意图：按经纬度等比例绘制，服务圈按行程模型（绕行系数1.3，城镇20公里/小时、农村30公里/小时）换算。
      </p>
    </div>
  );
}
