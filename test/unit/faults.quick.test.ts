/** The fault suite's quick cases (`npm run test:faults` runs them all at full size). Needs `npm run build`. */
import { registerCases } from '../faults/harness';
import { hostileRepoCases } from '../faults/hostileRepos.cases';
import { loadCases } from '../faults/load.cases';
import { modelFaultCases } from '../faults/modelFaults.cases';
import { secretCases } from '../faults/secrets.cases';
import { storeFaultCases } from '../faults/storeFaults.cases';

registerCases('all', [...hostileRepoCases, ...storeFaultCases, ...modelFaultCases, ...secretCases, ...loadCases], { quick: true });
