import { DEFAULT_TRAVEL_MODEL, haversineKm, type GeoPoint, type TravelModelOptions } from './geo';

/**
 * The widest service circle as a great-circle radius in km: a home within a circle of either kind is at most this
 * far from its service point (travel minutes ≥ exact minutes, so ≤ circle minutes implies distance ≤ this).
 * `widenBy` (≥ 1) scales it for an order allowed a widened circle (emergency calls), so partitions stay closed.
 */
export function serviceCircleRadiusKm(travel: TravelModelOptions = DEFAULT_TRAVEL_MODEL, widenBy = 1): number {
  const urban = (travel.urbanServiceCircleMinutes / 60) * travel.urbanSpeedKmh;
  const rural = (travel.ruralServiceCircleMinutes / 60) * travel.ruralSpeedKmh;
  return (Math.max(urban, rural) / travel.detourFactor) * widenBy;
}

export interface PartitionPoint {
  readonly id: string;
  readonly location: GeoPoint;
}

/**
 * Dispatch partitions: service points grouped (connected components) so that no two circles of different
 * partitions overlap. A home inside two circles makes them overlap, so every home belongs to at most one partition
 * and every caregiver (its service point's) serves only its own: two partitions never compete for a caregiver or a
 * home. Each partition is named by its smallest service point id. Returns service point id → partition.
 */
export function servicePointPartitions(points: readonly PartitionPoint[], radiusKm: number): Map<string, string> {
  const parent = new Map(points.map((p) => [p.id, p.id]));
  const find = (id: string): string => {
    let root = id;
    while (parent.get(root) !== root) root = parent.get(root) as string;
    let node = id;
    while (node !== root) {
      const next = parent.get(node) as string;
      parent.set(node, root);
      node = next;
    }
    return root;
  };
  for (let i = 0; i < points.length; i++) {
    for (let j = i + 1; j < points.length; j++) {
      if (haversineKm(points[i].location, points[j].location) > 2 * radiusKm) continue;
      const a = find(points[i].id);
      const b = find(points[j].id);
      if (a === b) continue;
      // the smaller id is the root: the partition's name is its smallest service point id
      if (a < b) parent.set(b, a);
      else parent.set(a, b);
    }
  }
  return new Map(points.map((p) => [p.id, find(p.id)]));
}

/** The partition a home belongs to: that of any service point whose circle (radius) may hold it; null if none. */
export function partitionOf(
  location: GeoPoint,
  points: readonly PartitionPoint[],
  partitions: ReadonlyMap<string, string>,
  radiusKm: number,
): string | null {
  for (const p of points) if (haversineKm(p.location, location) <= radiusKm) return partitions.get(p.id) ?? null;
  return null;
}
