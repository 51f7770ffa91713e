/**
 * Long-lived analysis process, forked by the extension host (see `spawnAnalysisWorker`): analyzes workspace
 * folders off the extension host, parsing in its own thread (`parseWorkers: 0`) and keeping each folder's
 * session between runs. It exits when the extension host goes away.
 */
import type { ToWorker } from './analysisProtocol';
import { AnalysisService } from './analysisService';

const service = new AnalysisService((message) => process.send?.(message));
process.on('message', (message: ToWorker) => void service.handle(message));
process.on('disconnect', () => process.exit(0));
