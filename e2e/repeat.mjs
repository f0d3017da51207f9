// Runs the browser tests (@web/test-runner) and the end-to-end tests (vitest, e2e/) N times in a
// row, and prints a table of each round: a test that passes once and fails once is a flaky test.
//
//   npm run test:repeat -- 3                      three rounds of both suites
//   npm run test:repeat -- 3 --only browser       the browser tests only (or --only e2e)
//   HOMEROOM_TEST_DAY=2026-12-05 npm run test:repeat -- 1   on another day (server/test/test-day.ts)
//
// Exit code 1 when any round of any suite failed.
import { spawn } from 'node:child_process';

const args = process.argv.slice(2);
const rounds = Number(args.find((arg) => /^\d+$/.test(arg)) ?? 3);
const onlyIndex = args.indexOf('--only');
const only = onlyIndex >= 0 ? args[onlyIndex + 1] : null;
if (!Number.isInteger(rounds) || rounds < 1 || rounds > 50) {
  console.error('test:repeat: give the number of rounds, 1 to 50 (npm run test:repeat -- 3)');
  process.exit(2);
}
if (only !== null && only !== 'browser' && only !== 'e2e') {
  console.error('test:repeat: --only takes browser or e2e');
  process.exit(2);
}

const suites = [
  { name: 'browser', command: 'npx', args: ['wtr', '--config', 'client/web-test-runner.config.mjs'] },
  { name: 'e2e', command: 'npx', args: ['vitest', 'run', 'e2e/'] },
].filter((suite) => only === null || suite.name === only);

function run(suite) {
  return new Promise((resolve) => {
    const started = Date.now();
    const child = spawn(suite.command, suite.args, { stdio: 'inherit', env: process.env });
    child.on('exit', (code) => resolve({ code: code ?? 1, seconds: (Date.now() - started) / 1000 }));
  });
}

const results = [];
for (let round = 1; round <= rounds; round++) {
  for (const suite of suites) {
    console.log(`\n── round ${round} of ${rounds}: ${suite.name} ──\n`);
    const { code, seconds } = await run(suite);
    results.push({ round, suite: suite.name, passed: code === 0, seconds });
  }
}

console.log(`\nRounds on ${process.env.HOMEROOM_TEST_DAY ?? 'the default test day'}:\n`);
console.log('| round | suite | result | seconds |');
console.log('| ---: | --- | --- | ---: |');
for (const result of results) console.log(`| ${result.round} | ${result.suite} | ${result.passed ? 'passed' : 'FAILED'} | ${result.seconds.toFixed(0)} |`);
const failed = results.filter((result) => !result.passed).length;
console.log(failed === 0 ? `\nAll ${results.length} runs passed.` : `\n${failed} of ${results.length} runs failed.`);
process.exit(failed === 0 ? 0 : 1);
