// The engines scenarios (scenarios.js) in Firefox.
import * as driver from './drivers/firefox.js';
import { runScenarios } from './scenarios.js';

runScenarios(driver);
