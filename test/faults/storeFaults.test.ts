import { registerCases } from './harness';
import { storeFaultCases } from './storeFaults.cases';

registerCases('storeFaults', storeFaultCases, { quick: process.env.FAULTS_QUICK === '1' });
