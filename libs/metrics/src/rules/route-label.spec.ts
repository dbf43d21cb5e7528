import { routeTemplate } from './route-label';

describe('routeTemplate', () => {
  it('joins the controller and handler paths into one template', () => {
    expect(routeTemplate('care-orders', ':id/check-in')).toBe('/care-orders/:id/check-in');
    expect(routeTemplate('/residents/', '/')).toBe('/residents');
    expect(routeTemplate(['stats', 'statistics'], 'coverage')).toBe('/stats/coverage');
    expect(routeTemplate(undefined, 'metrics')).toBe('/metrics');
    expect(routeTemplate('', '')).toBe('/');
  });
});
