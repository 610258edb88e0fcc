// The engines scenarios (scenarios.js) in Chromium.
import * as driver from './drivers/chromium.js';
import { runScenarios } from './scenarios.js';

runScenarios(driver);
