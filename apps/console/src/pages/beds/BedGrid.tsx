import { useMemo } from 'react';
import type { Bed, BedStatus, BedType, Resident, Stay } from '../../api/types';
import { BED_STATUS_LABEL, BED_TYPE_LABEL, GENDER_LABEL } from '../../lib/labels';
import { buildingLabel, floorLabel, groupBeds, stayResidentName } from './model';

export interface BedFilter {
  status: BedStatus | 'all';
  type: BedType | 'all';
}

export function BedGrid({
  beds,
  staysByBed,
  residents,
  filter,
  selectedId,
  highlight,
  onSelect,
}: {
  beds: Bed[];
  staysByBed: Map<string, Stay>;
  residents: Map<string, Partial<Resident>>;
  filter: BedFilter;
  selectedId?: string;
  highlight?: Set<string>;
  onSelect: (bed: Bed) => void;
}) {
  const groups = useMemo(() => groupBeds(beds), [beds]);
  const multiBuilding = groups.length > 1 || groups[0]?.building !== '';

  return (
    <div className="bed-board" data-testid="bed-board">
      {groups.map((g) => (
        <section key={g.building || '_'} className="building">
          {multiBuilding ? <h3 className="building-title">{buildingLabel(g.building)}</h3> : null}
          {g.floors.map((f) => (
            <div key={f.floor || '_'} className="floor">
              {f.floor ? <div className="floor-label">{floorLabel(f.floor)}</div> : null}
              <div className="rooms">
                {f.rooms.map((r) => (
                  <div key={r.room} className="room" data-testid={`room-${r.room}`}>
                    <div className="room-head">
                      <span className="room-no">{r.room}</span>
                      <span className="room-count">
                        {r.beds.filter((b) => b.status === 'occupied').length}/
                        {r.beds.filter((b) => b.status !== 'closed').length}
                      </span>
                    </div>
                    <div className="room-beds">
                      {r.beds.map((b) => {
                        const stay = staysByBed.get(b.id);
                        const dim =
                          (filter.status !== 'all' && b.status !== filter.status) ||
                          (filter.type !== 'all' && b.type !== filter.type);
                        const who = stay ? stayResidentName(stay, residents) : null;
                        return (
                          <button
                            key={b.id}
                            type="button"
                            className={[
                              'bed',
                              `bed-${b.status}`,
                              `bed-type-${b.type}`,
                              dim ? 'is-dim' : '',
                              selectedId === b.id ? 'is-selected' : '',
                              highlight?.has(b.id) ? 'is-recommended' : '',
                            ].join(' ')}
                            data-testid={`bed-${b.id}`}
                            data-bed-label={`${r.room}-${b.label}`}
                            data-status={b.status}
                            data-type={b.type}
                            title={`${r.room}室 ${b.label}床 · ${BED_TYPE_LABEL[b.type]} · ${BED_STATUS_LABEL[b.status]}${who ? ` · ${who}` : ''}`}
                            onClick={() => onSelect(b)}
                          >
                            <span className="bed-top">
                              <span className="bed-label">{b.label}</span>
                              {b.type === 'nursing' ? (
                                <span className="bed-type-tag" aria-label="护理型床位">
                                  护
                                </span>
                              ) : null}
                              {b.gender ? <span className="bed-gender">{GENDER_LABEL[b.gender]}</span> : null}
                            </span>
                            <span className="bed-occupant">{who ?? BED_STATUS_LABEL[b.status]}</span>
                          </button>
                        );
                      })}
                    </div>
                  </div>
                ))}
              </div>
            </div>
          ))}
        </section>
      ))}
    </div>
  );
}

export function BedLegend() {
  const statuses: BedStatus[] = ['vacant', 'occupied', 'reserved', 'maintenance', 'closed'];
  return (
    <div className="legend" aria-label="图例">
      {statuses.map((s) => (
        <span key={s} className="legend-item">
          <span className={`legend-swatch bed-${s}`} />
          {BED_STATUS_LABEL[s]}
        </span>
      ))}
      <span className="legend-item">
        <span className="legend-swatch legend-nursing">护</span>
        护理型床位
      </span>
    </div>
  );
}
