// The mocha CLI loads reporters with require(); this forwards to the TypeScript reporter (tsx is registered).
// eslint-disable-next-line @typescript-eslint/no-require-imports
module.exports = require('./summaryReporter.ts').SummaryReporter;
