// `npm run test:ui`: both UI suites against one packaged VSIX; `node test/ui/run.mjs locale` runs one of them.
import { runLocaleUiTests } from './locale.ui.mjs';
import { runUiTests } from './savings.ui.mjs';

const suites = { savings: runUiTests, locale: runLocaleUiTests };
const chosen = process.argv.slice(2).length ? process.argv.slice(2) : Object.keys(suites);
let passed = 0;
let failed = 0;
for (const name of chosen) {
  console.log(`${name}:`);
  const r = await suites[name]();
  passed += r.passed;
  failed += r.failed;
}
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed === 0 && passed > 0 ? 0 : 1);
