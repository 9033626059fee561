/** What `serve` does, in the command overview (kept apart so listing it loads none of the daemon). */
export const serveSummary = 'run the supervisor in the foreground';
