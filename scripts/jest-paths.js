// Maps the tsconfig path aliases (@care/<lib>) for jest, so tests resolve libraries exactly as tsc does.
const { compilerOptions } = require('../tsconfig.json');

function pathsToModuleNameMapper() {
  const map = {};
  for (const [alias, [target]] of Object.entries(compilerOptions.paths)) {
    // escape every regex metacharacter (and every '/', e.g. in @care/core/geo), not just the first one
    map[`^${alias.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}$`] = `<rootDir>/${target}`;
  }
  return map;
}
module.exports = { pathsToModuleNameMapper };
