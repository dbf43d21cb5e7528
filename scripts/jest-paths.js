// Maps the tsconfig path aliases (@care/<lib>) for jest, so tests resolve libraries exactly as tsc does.
const { compilerOptions } = require('../tsconfig.json');

function pathsToModuleNameMapper() {
  const map = {};
  for (const [alias, [target]] of Object.entries(compilerOptions.paths)) {
    map[`^${alias.replace('/', '\\/')}$`] = `<rootDir>/${target}`;
  }
  return map;
}
module.exports = { pathsToModuleNameMapper };
