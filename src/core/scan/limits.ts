/**
 * Largest file analyzed unless told otherwise, in KB (the CLI's `--max-file-kb`, the `sleeptime.maxFileSizeKb`
 * setting): large enough for a project's one big source file (picocli's 1.2 MB `CommandLine.java`, where its fixes land).
 */
export const DEFAULT_MAX_FILE_KB = 2048;
