import { registerCases } from './harness';
import { modelFaultCases } from './modelFaults.cases';

registerCases('modelFaults', modelFaultCases, { quick: process.env.FAULTS_QUICK === '1' });
