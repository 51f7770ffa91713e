import { registerCases } from './harness';
import { hostileRepoCases } from './hostileRepos.cases';

registerCases('hostileRepos', hostileRepoCases, { quick: process.env.FAULTS_QUICK === '1' });
