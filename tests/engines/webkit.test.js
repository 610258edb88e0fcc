// The engines scenarios (scenarios.js) in Webkit.
import * as driver from './drivers/webkit.js';
import { runScenarios } from './scenarios.js';

runScenarios(driver);
