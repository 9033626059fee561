/** What `serve` does, in the command overview (kept apart so listing it loads none of the daemon). */
export const serveSummary = 'Run the supervisor in the foreground (what launchd/systemd run)';
