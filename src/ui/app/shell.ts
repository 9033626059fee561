// The parts both pages share: the connection pill in the header and the "unreachable" banner.
import { setText } from './dom.js';

const connectionText = {
  connecting: 'Connecting…',
  live: 'Live',
  unreachable: 'Offline',
} as const;

/** Shows whether the page hears the supervisor; the banner appears only when it does not. */
export function renderConnection(connection: keyof typeof connectionText): void {
  const pill = document.getElementById('connection');
  if (pill) {
    setText(pill, connectionText[connection]);
    pill.dataset['state'] = connection;
  }
  const banner = document.getElementById('banner');
  if (banner) banner.hidden = connection !== 'unreachable';
}
