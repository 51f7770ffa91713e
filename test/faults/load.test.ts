import { registerCases } from './harness';
import { loadCases } from './load.cases';

registerCases('load', loadCases, { quick: process.env.FAULTS_QUICK === '1' });
