// Pure helpers for the bed board: grouping beds into buildings, floors and rooms.
import type { Bed, Resident, Stay, WaitlistEntry } from '../../api/types';

export interface RoomGroup {
  room: string;
  beds: Bed[];
}
export interface FloorGroup {
  floor: string;
  rooms: RoomGroup[];
}
export interface BuildingGroup {
  building: string;
  floors: FloorGroup[];
}

const collator = new Intl.Collator('zh-CN', { numeric: true, sensitivity: 'base' });

export function groupBeds(beds: Bed[]): BuildingGroup[] {
  const byBuilding = new Map<string, Map<string, Map<string, Bed[]>>>();
  for (const b of beds) {
    const building = b.building?.trim() || '';
    const floor = b.floor === null || b.floor === undefined || b.floor === '' ? '' : String(b.floor);
    const floors = byBuilding.get(building) ?? new Map<string, Map<string, Bed[]>>();
    byBuilding.set(building, floors);
    const rooms = floors.get(floor) ?? new Map<string, Bed[]>();
    floors.set(floor, rooms);
    const list = rooms.get(b.room) ?? [];
    rooms.set(b.room, list);
    list.push(b);
  }
  return [...byBuilding.entries()]
    .sort(([a], [b]) => collator.compare(a, b))
    .map(([building, floors]) => ({
      building,
      floors: [...floors.entries()]
        .sort(([a], [b]) => collator.compare(a, b))
        .map(([floor, rooms]) => ({
          floor,
          rooms: [...rooms.entries()]
            .sort(([a], [b]) => collator.compare(a, b))
            .map(([room, list]) => ({ room, beds: list.sort((x, y) => collator.compare(x.label, y.label)) })),
        })),
    }));
}

export function buildingLabel(b: string): string {
  return b || '本院';
}

export function floorLabel(f: string): string {
  if (!f) return '';
  return /^\d+$/.test(f) ? `${f}层` : f;
}

export function bedName(b: Pick<Bed, 'building' | 'floor' | 'room' | 'label'>): string {
  const parts = [b.building, b.room && `${b.room}室`, b.label && `${b.label}床`].filter(Boolean);
  return parts.join(' ');
}

export function stayResidentName(s: Stay, residents: Map<string, Partial<Resident>>): string {
  return s.resident?.name ?? s.residentName ?? residents.get(s.residentId)?.name ?? '（未知）';
}

export function entryResidentName(e: WaitlistEntry, residents: Map<string, Partial<Resident>>): string {
  return e.resident?.name ?? e.residentName ?? residents.get(e.residentId)?.name ?? '（未知）';
}
