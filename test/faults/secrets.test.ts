import { registerCases } from './harness';
import { secretCases } from './secrets.cases';

registerCases('secrets', secretCases, { quick: process.env.FAULTS_QUICK === '1' });
