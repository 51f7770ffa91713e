/**
 * Long-lived worker thread that analyzes workspace folders off the extension host's main thread.
 * It parses in its own thread (`parseWorkers: 0`) and keeps each folder's session between runs.
 */
import { parentPort } from 'node:worker_threads';
import type { ToWorker } from './analysisProtocol';
import { AnalysisService } from './analysisService';

const service = new AnalysisService((message) => parentPort?.postMessage(message));
parentPort?.on('message', (message: ToWorker) => void service.handle(message));
