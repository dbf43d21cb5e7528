// County geometry for the local plot (no map tiles): extent and seat from shared/data/regions-620422.json. The
// travel model (domain.md §5) is the server's own, libs/core/src/geo, through the `@care/core/geo` alias.

export const COUNTY = {
  code: '620422',
  name: '会宁县',
  extent: { latMin: 35.4, latMax: 36.4333, lngMin: 104.4833, lngMax: 105.5167 },
  seat: { name: '会师镇', lat: 35.6929, lng: 105.0466 },
};
